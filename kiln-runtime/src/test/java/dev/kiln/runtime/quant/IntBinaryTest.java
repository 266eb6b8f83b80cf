package dev.kiln.runtime.quant;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The int8 loops of {@link IntBinary} (Vector API when enabled, and scalar) against the generic
 * reference, bit for bit: random broadcast shapes of awkward sizes, scales that put many results
 * exactly on .5, fused-activation ranges, and scales large enough to overflow to infinity and NaN.
 */
class IntBinaryTest {
    private static final int[] SIZES = {1, 3, 7, 15, 16, 17, 63, 65, 1023};
    private static final float[][] SCALES = {
        {0.5f, 0.25f, 1f}, {0.02f, 0.031f, 0.017f}, {1f, 1f, 3f}, {0.1f, 0.2f, 0.3f},
        {3e37f, 3e37f, 1e-3f}, {1e-3f, 2e-3f, 7e-6f}};
    private static final int[][] RANGES = {{-128, 127}, {0, 127}, {-20, 90}};

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int p = r.nextInt(8);
            b[i] = (byte) (p == 0 ? -128 : p == 1 ? 127 : r.nextInt(256) - 128);
        }
        return b;
    }

    private static int size(int[] shape) {
        int s = 1;
        for (int d : shape) s *= d;
        return s;
    }

    private static void check(int[] sa, int[] sb, int[] sy, SplittableRandom r) {
        byte[] a = random(r, size(sa));
        byte[] b = random(r, size(sb));
        for (IntBinary.Kind kind : IntBinary.Kind.values()) {
            for (float[] s : SCALES) {
                for (int[] range : RANGES) {
                    IntBinary op = new IntBinary(kind, s[0], s[1], s[2]);
                    byte[] want = new byte[size(sy)];
                    byte[] got = new byte[want.length];
                    op.reference(a, null, sa, b, null, sb, want, null, sy, range[0], range[1]);
                    op.run(a, null, sa, b, null, sb, got, null, sy, range[0], range[1]);
                    String what = kind + " " + java.util.Arrays.toString(sa) + " " + java.util.Arrays.toString(sb)
                            + " scales " + java.util.Arrays.toString(s) + " range " + range[0] + ".." + range[1];
                    assertArrayEquals(want, got, what);
                    byte[] scalar = new byte[want.length];
                    dev.kiln.runtime.kernels.Broadcast.forEach(sa, sb, sy, (o, ia, stA, ib, stB, n) ->
                            op.runBytes(a, ia, stA, b, ib, stB, scalar, o, n, range[0], range[1], false));
                    assertArrayEquals(want, scalar, "scalar " + what);
                }
            }
        }
    }

    @Test
    void equalShapesMatchReference() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : SIZES) {
            check(new int[] {n}, new int[] {n}, new int[] {n}, r);
            check(new int[] {1, 2, n}, new int[] {1, 2, n}, new int[] {1, 2, n}, r);
        }
    }

    @Test
    void broadcastShapesMatchReference() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : SIZES) {
            int c = 1 + r.nextInt(5);
            // per-channel scalar on either side, a row against a column, a scalar tensor
            check(new int[] {1, c, 3, n}, new int[] {1, c, 1, 1}, new int[] {1, c, 3, n}, r);
            check(new int[] {1, c, 1, 1}, new int[] {1, c, n, 3}, new int[] {1, c, n, 3}, r);
            check(new int[] {2, 1, n}, new int[] {1, 3, 1}, new int[] {2, 3, n}, r);
            check(new int[] {n, 1}, new int[] {1, n}, new int[] {n, n}, r);
            check(new int[] {}, new int[] {2, n}, new int[] {2, n}, r);
        }
    }

    @Test
    void everyInt8PairMatchesReference() {
        byte[] a = new byte[65536];
        byte[] b = new byte[65536];
        for (int i = 0; i < 65536; i++) {
            a[i] = (byte) (i >> 8);
            b[i] = (byte) i;
        }
        int[] shape = {65536};
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 16; t++) {
            float sa = (float) (0.001 + r.nextDouble() * 0.1);
            float sb = (float) (0.001 + r.nextDouble() * 0.1);
            for (IntBinary.Kind kind : IntBinary.Kind.values()) {
                // output scales that keep most results inside int8, so that rounding decides them
                float sy = kind == IntBinary.Kind.MUL ? (float) (sa * sb * (100 + r.nextDouble() * 100))
                        : (float) (Math.max(sa, sb) * (1 + r.nextDouble()));
                float[] s = {sa, sb, sy};
                IntBinary op = new IntBinary(kind, s[0], s[1], s[2]);
                byte[] want = new byte[a.length];
                byte[] got = new byte[a.length];
                op.reference(a, null, shape, b, null, shape, want, null, shape, -128, 127);
                op.run(a, null, shape, b, null, shape, got, null, shape, -128, 127);
                assertArrayEquals(want, got, kind + " scales " + java.util.Arrays.toString(s));
            }
        }
    }

    @Test
    void tiesRoundHalfToEven() {
        // 0.5 * a + 0.25 * b puts a quarter of the results on .5 exactly
        IntBinary op = new IntBinary(IntBinary.Kind.ADD, 0.5f, 0.25f, 1f);
        byte[] a = {1, 3, -1, -3, 5, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 7, 9};
        byte[] b = {0, 0, 0, 0, 0, 2, -2, 6, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0};
        byte[] y = new byte[a.length];
        int[] shape = {a.length};
        op.run(a, null, shape, b, null, shape, y, null, shape, -128, 127);
        assertArrayEquals(new byte[] {0, 2, 0, -2, 2, 0, 0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4}, y);
    }
}
