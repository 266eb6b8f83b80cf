package dev.kiln.runtime.engine;

import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct NV12 to planar expansion against the interleaved expansion followed by a transpose. */
class InputStageTest {
    @Test
    void planarNv12EqualsInterleavedThenTransposed() {
        SplittableRandom r = new SplittableRandom(4);
        int[][] sizes = {{2, 2}, {2, 6}, {4, 2}, {48, 192}, {10, 14}};
        for (int[] s : sizes) {
            int h = s[0];
            int w = s[1];
            byte[] data = new byte[h * w * 3 / 2];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) r.nextInt(256);
            }
            int[] shape = {1, h, w};
            IoDescriptor d = new IoDescriptor("x", 0, IoDescriptor.TensorKind.NV12, null, shape, shape, null,
                    data.length, null, new int[] {0, 3, 1, 2});
            Tensor want = Movement.transpose(InputStage.nv12(d, data), new int[] {1, h, w, 3}, new int[] {0, 3, 1, 2}, Parallel.serial());
            Tensor got = InputStage.nv12Planar(d, data);
            assertArrayEquals(want.shape(), got.shape(), h + "x" + w);
            assertTrue(want.sameAs(got), h + "x" + w);
        }
    }
}
