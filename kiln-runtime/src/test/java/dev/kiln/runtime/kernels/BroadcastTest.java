package dev.kiln.runtime.kernels;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BroadcastTest {
    private static final int[][][] SHAPES = {
        {{2, 3, 4, 5}, {2, 3, 4, 5}},
        {{2, 3, 4, 5}, {5}},
        {{2, 3, 4, 5}, {3, 1, 5}},
        {{2, 3, 4, 5}, {}},
        {{2, 3, 4, 5}, {1, 3, 1, 1}},
        {{5}, {2, 3, 4, 5}},
        {{3, 1, 5}, {2, 1, 4, 1}},
        {{1, 1}, {1}},
        {{}, {}},
        {{2, 0, 3}, {3}},
        {{7, 1, 3, 1, 2}, {1, 5, 1, 4, 1}},
    };

    /**
     * Every output element is visited exactly once and reads the operand elements numpy would, for
     * the serial walk and for parallel walks whose ranges cut runs at arbitrary points; strides are 0 or 1.
     */
    @Test
    void visitsEveryElementWithNumpyOperands() {
        for (int[][] s : SHAPES) {
            int[] out = Shapes.broadcast(s[0], s[1]);
            int[] ia = Shapes.broadcastIndex(s[0], out);
            int[] ib = Shapes.broadcastIndex(s[1], out);
            for (int grain : new int[] {0, 1, 3, 7, 64, 1 << 20}) {
                int n = Shapes.size(out);
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                Broadcast.RunBody body = (o, a, as, b, bs, len) -> {
                    assertTrue(as == 0 || as == 1, "stride " + as);
                    assertTrue(bs == 0 || bs == 1, "stride " + bs);
                    for (int k = 0; k < len; k++) {
                        seen.incrementAndGet(o + k);
                        assertEquals(ia[o + k], a + k * as, () -> "A index for " + Arrays.deepToString(s));
                        assertEquals(ib[o + k], b + k * bs, () -> "B index for " + Arrays.deepToString(s));
                    }
                };
                if (grain == 0) {
                    Broadcast.forEach(s[0], s[1], out, body);
                } else {
                    Broadcast.forEach(s[0], s[1], out, Parallel.of(3), grain, body);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "element " + i + " of " + Arrays.deepToString(s) + " grain " + grain);
                }
            }
        }
    }
}
