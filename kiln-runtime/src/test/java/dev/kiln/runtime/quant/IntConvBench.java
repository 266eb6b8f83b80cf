package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.conv.ConvShape;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Integer convolution kernels on the shapes of the bundled PP-OCR classifier and of UltraFace, timed in one process
 * with the variants interleaved so that load from other processes hits all of them alike: the
 * scalar reference, the int32 tiles and the float-exact tiles, each shape after 2 s of warm-up.
 * Median microseconds per call.
 * Run: scripts/bench-intconv.sh [threads [first shape]]
 */
public final class IntConvBench {
    private IntConvBench() {
    }

    /** Time each shape's variants run before being measured, so the JIT has compiled the vector kernels. */
    private static final long WARMUP_NANOS = 2_000_000_000L;

    /** c, m, group, kh, kw, h, w, stride h, stride w, pad */
    private static final int[][] SHAPES = {
        {32, 200, 1, 1, 1, 2, 96, 1, 1, 0},
        {200, 32, 1, 1, 1, 2, 96, 1, 1, 0},
        {200, 200, 200, 5, 5, 2, 96, 1, 1, 2},
        {88, 88, 88, 5, 5, 3, 96, 1, 1, 2},
        {16, 88, 1, 1, 1, 3, 96, 1, 1, 0},
        {3, 8, 1, 3, 3, 48, 192, 2, 2, 1},
        {8, 8, 8, 3, 3, 24, 96, 2, 1, 1},
        {200, 50, 1, 1, 1, 1, 1, 1, 1, 0},
        // UltraFace RFB-320: stem, depthwise and pointwise convolutions of the first stages
        {3, 16, 1, 3, 3, 240, 320, 2, 2, 1},
        {16, 16, 16, 3, 3, 120, 160, 1, 1, 1},
        {16, 32, 1, 1, 1, 120, 160, 1, 1, 0},
        {32, 32, 32, 3, 3, 120, 160, 2, 2, 1},
        {32, 32, 1, 1, 1, 60, 80, 1, 1, 0},
        {32, 32, 32, 3, 3, 60, 80, 1, 1, 1},
    };

    public static void main(String[] args) {
        Parallel par = Parallel.of(args.length > 0 ? Integer.parseInt(args[0]) : 1);
        SplittableRandom r = new SplittableRandom(1);
        int first = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (int[] sh : Arrays.copyOfRange(SHAPES, first, SHAPES.length)) {
            int c = sh[0], m = sh[1], g = sh[2], kh = sh[3], kw = sh[4], h = sh[5], w = sh[6], sy = sh[7], sx = sh[8], p = sh[9];
            int oh = (h + 2 * p - kh) / sy + 1;
            int ow = (w + 2 * p - kw) / sx + 1;
            int k = c / g * kh * kw;
            byte[] wt = new byte[m * k];
            byte[] x = new byte[c * h * w];
            for (int i = 0; i < wt.length; i++) {
                wt[i] = (byte) r.nextInt(256);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) r.nextInt(256);
            }
            int[] bias = new int[m];
            float[] mult = new float[m];
            Arrays.fill(mult, 1e-4f);
            ConvShape s = new ConvShape(c / g, new int[] {h, w}, new int[] {kh, kw}, new int[] {sy, sx},
                    new int[] {1, 1}, new int[] {p, p}, new int[] {p, p}, new int[] {oh, ow});
            IntConv ref = new IntConv(wt, m, k, g, bias, mult, false);
            IntConv ints = new IntConv(wt, m, k, g, bias, mult, true);
            ints.packed().floatTiles = false;
            IntConv floats = new IntConv(wt, m, k, g, bias, mult, true);
            IntConv[] variants = {ref, ints, floats};
            byte[] y = new byte[m * oh * ow];
            long macs = (long) m * k * oh * ow;
            int reps = (int) Math.max(20, Math.min(200, 1_000_000_000L / Math.max(1, macs)));
            long warm = System.nanoTime() + WARMUP_NANOS;
            while (System.nanoTime() < warm) {
                for (IntConv v : variants) {
                    v.run(x, null, y, null, 1, c, s, -128, 127, par);
                }
            }
            long[][] t = new long[3][reps];
            for (int i = 0; i < reps; i++) {
                for (int v = 0; v < 3; v++) {
                    long t0 = System.nanoTime();
                    variants[v].run(x, null, y, null, 1, c, s, -128, 127, par);
                    t[v][i] = System.nanoTime() - t0;
                }
            }
            StringBuilder b = new StringBuilder(String.format("%-44s %9d MACs", Arrays.toString(sh), macs));
            String[] names = {"scalar", "int32", "float-exact"};
            for (int v = 0; v < 3; v++) {
                long[] a = t[v].clone();
                Arrays.sort(a);
                double us = a[a.length / 2] / 1e3;
                b.append(String.format("  %s %8.1f us (%5.2f GMAC/s)", names[v], us, macs / us / 1e3));
            }
            System.out.println(b);
        }
    }
}
