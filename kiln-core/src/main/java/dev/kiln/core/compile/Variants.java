package dev.kiln.core.compile;

import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.KernelInput;

/**
 * The kernel variant recorded for an instruction at O3, from its shapes: for convolutions
 * "depthwise" (one input channel per group), "pointwise" (1x1, stride 1, no padding: a plain matrix
 * product) or "im2col" (packed columns and the blocked matrix product); for matrix products "gemv"
 * (one row) or "gemm". The kernels make the same choice from the same shapes when they are built,
 * so the record documents what runs; it never changes a result.
 */
final class Variants {
    private Variants() {
    }

    static String choose(Instruction in) {
        switch (in.opType()) {
            case "Conv": {
                int[] x = shape(in, 0);
                int[] w = shape(in, 1);
                if (x == null || w == null || w.length < 3) {
                    return null;
                }
                long group = in.attrs().getInt("group", 1);
                if (group > 1 && w[1] == 1 && group == x[1]) {
                    return "depthwise";
                }
                boolean unit = true;
                for (int i = 2; i < w.length; i++) {
                    unit &= w[i] == 1;
                }
                long[] strides = in.attrs().getInts("strides", null);
                long[] pads = in.attrs().getInts("pads", null);
                boolean plain = strides == null || java.util.Arrays.stream(strides).allMatch(s -> s == 1);
                plain &= pads == null || java.util.Arrays.stream(pads).allMatch(p -> p == 0);
                return unit && plain && group == 1 ? "pointwise" : "im2col";
            }
            case "Gemm":
            case "MatMul": {
                int[] a = shape(in, 0);
                if (a == null) {
                    return null;
                }
                long rows = 1;
                for (int i = 0; i < a.length - 1; i++) {
                    rows *= a[i];
                }
                return rows == 1 ? "gemv" : "gemm";
            }
            default:
                return null;
        }
    }

    private static int[] shape(Instruction in, int i) {
        if (i >= in.view().size()) {
            return null;
        }
        KernelInput k = in.view().get(i);
        return k.present() ? k.shape() : null;
    }
}
