package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Half;
import dev.kiln.runtime.tensor.Tensor;

/** Plumbing shared by the elementwise operator families: chunk size, half rounding, legacy broadcasting. */
public final class Elementwise {
    /** Elements per parallel chunk; smaller tensors run on the calling thread. */
    public static final int GRAIN = 1 << 14;

    private Elementwise() {
    }

    /** Rounds float32 results in a[from, to) to a half type's precision (no-op for FLOAT). */
    public static void roundTo(DType t, float[] a, int from, int to) {
        if (t == DType.FLOAT16) {
            for (int i = from; i < to; i++) a[i] = Half.round(a[i]);
        } else if (t == DType.BFLOAT16) {
            for (int i = from; i < to; i++) a[i] = Half.bf16Round(a[i]);
        }
    }

    /** {@link #legacyAxis} when the node uses numpy broadcasting. */
    public static final int NUMPY = Integer.MIN_VALUE;

    /**
     * Opset 1-6 binary ops broadcast only with {@code broadcast=1}, aligning B with A's dims from
     * {@code axis} (default: B's dims are A's trailing dims, which numpy broadcasting also does).
     * Returns that axis (possibly negative, counted from A's rank), or {@link #NUMPY}.
     */
    public static int legacyAxis(KernelContext ctx) {
        if (ctx.opset() >= 7 || ctx.attrs().getInt("broadcast", 0) == 0 || !ctx.attrs().has("axis")) {
            return NUMPY;
        }
        return (int) ctx.attrs().getInt("axis", 0);
    }

    /** B's shape padded with 1s so that its dims start at {@code axis} of a rank-{@code rankA} shape. */
    public static int[] legacyShape(int[] b, int rankA, int axis) {
        if (axis == NUMPY) {
            return b;
        }
        int a = axis < 0 ? axis + rankA : axis;
        if (a < 0 || a + b.length > rankA) {
            throw new IllegalArgumentException("legacy broadcast axis " + axis + " does not fit a rank-" + b.length
                    + " operand into rank " + rankA);
        }
        int[] s = new int[rankA];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(b, 0, s, a, b.length);
        return s;
    }

    /** B viewed with its dims moved to {@code axis} of A's rank (legacy broadcasting); B itself for {@link #NUMPY}. */
    public static Tensor alignLegacy(Tensor b, int rankA, int axis) {
        return axis == NUMPY ? b : b.reshape(legacyShape(b.shape(), rankA, axis));
    }

    /** A readable list of types for error messages. */
    public static String typeError(String op, DType t) {
        return op + " does not accept " + t + " tensors";
    }
}
