package dev.kiln.runtime.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Nv12Test {
    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void layoutIsYPlaneThenInterleavedUvOfTwoByTwoMeans() {
        int h = 2;
        int w = 4;
        byte[] y = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] u = {10, 11, (byte) 200, (byte) 201, 12, 13, (byte) 202, (byte) 203};
        byte[] v = {0, 0, 1, 1, 0, 1, 1, 1};
        byte[] nv12 = Nv12.fromYuv444(y, u, v, h, w);
        assertEquals(12, nv12.length);
        for (int i = 0; i < 8; i++) {
            assertEquals(y[i], nv12[i]);
        }
        // (10+11+12+13+2)/4 = 12, (200+201+202+203+2)/4 = 202 (unsigned), (0+0+0+1+2)/4 = 0, (1+1+1+1+2)/4 = 1
        assertEquals(12, nv12[8] & 0xff);
        assertEquals(0, nv12[9] & 0xff);
        assertEquals(202, nv12[10] & 0xff);
        assertEquals(1, nv12[11] & 0xff);
    }

    @Test
    void upsamplingRepeatsChromaAndRoundTripMatches() {
        int h = 6;
        int w = 10;
        byte[] y = random(1, h * w);
        byte[] u = random(2, h * w);
        byte[] v = random(3, h * w);
        byte[] nv12 = Nv12.fromYuv444(y, u, v, h, w);
        byte[] y2 = new byte[h * w];
        byte[] u2 = new byte[h * w];
        byte[] v2 = new byte[h * w];
        Nv12.toYuv444(nv12, h, w, y2, u2, v2);
        assertArrayEquals(y, y2);
        assertEquals(u2[0], u2[1]);
        assertEquals(u2[0], u2[w]);
        assertEquals(v2[w + 1], v2[0]);
        Nv12.roundTripChroma(u, v, h, w);
        assertArrayEquals(u2, u);
        assertArrayEquals(v2, v);
        // a second round trip changes nothing: the blocks are already constant
        byte[] again = Nv12.fromYuv444(y2, u2, v2, h, w);
        assertArrayEquals(nv12, again);
    }

    @Test
    void oddSizesAreRejected() {
        byte[] p = new byte[15];
        assertThrows(IllegalArgumentException.class, () -> Nv12.fromYuv444(p, p, p, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> Nv12.byteSize(4, 5));
    }
}
