package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Reshape: the same elements under a new shape (a view: the data is shared, not copied). In the
 * shape, 0 copies the input's dim at that position (unless allowzero=1, opset 14, where 0 means an
 * empty dim) and one -1 is inferred from the element count. Opsets before 5 gave the shape as an
 * attribute.
 */
public final class ReshapeKernel extends NamedFactory {
    public static final ReshapeKernel INSTANCE = new ReshapeKernel();

    private ReshapeKernel() {
        super("Reshape", 65);
    }

    /**
     * The output shape for a requested shape and the input shape ({@code in} may hold -1 for
     * unknown dims, or be null when the rank is unknown); -1 where it cannot be known statically.
     */
    public static int[] outputShape(long[] spec, int[] in, boolean allowZero) {
        int[] out = new int[spec.length];
        int inferAt = -1;
        boolean hasZero = false;
        boolean othersKnown = true;
        long product = 1;
        for (int i = 0; i < spec.length; i++) {
            long v = spec[i];
            if (v == -1) {
                if (inferAt >= 0) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(spec) + " has more than one -1");
                }
                inferAt = i;
                out[i] = -1;
                continue;
            }
            if (v < -1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(spec) + " has the invalid entry " + v);
            }
            if (v == 0 && !allowZero) {
                if (in != null && i >= in.length) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(spec) + " copies dim " + i
                            + " (entry 0) but the input has rank " + in.length);
                }
                out[i] = in == null ? -1 : in[i];
            } else {
                hasZero |= v == 0;
                out[i] = ShapeArgs.dimSize(v, "shape entry");
            }
            if (out[i] < 0) {
                othersKnown = false;
            } else {
                product *= out[i];
            }
        }
        if (allowZero && hasZero && inferAt >= 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(spec)
                    + " has both 0 and -1, which allowzero=1 does not permit");
        }
        long inSize = in == null ? -1 : ShapeArgs.knownProduct(in, 0, in.length);
        if (inferAt >= 0 && in != null && inSize < 0 && !allowZero) {
            inferWithCopiedUnknowns(spec, in, out, inferAt);
            return out;
        }
        if (!othersKnown || inSize < 0) {
            return out;
        }
        if (inferAt >= 0) {
            if (product == 0 || inSize % product != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to "
                        + Arrays.toString(spec) + ": the -1 cannot be inferred");
            }
            out[inferAt] = (int) (inSize / product);
        } else if (product != inSize) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " (" + inSize
                    + " elements) to " + Arrays.toString(out) + " (" + product + " elements)");
        }
        return out;
    }

    /**
     * The -1 of a shape like [0, -1] on an input [N, 3, 4] with N unknown: dims copied by 0 are
     * the same on both sides and cancel, so the -1 is still 12 as long as every unknown input dim
     * is one of them.
     */
    private static void inferWithCopiedUnknowns(long[] spec, int[] in, int[] out, int inferAt) {
        long inRest = 1;
        for (int i = 0; i < in.length; i++) {
            if (i < spec.length && spec[i] == 0) {
                continue;
            }
            if (in[i] < 0) {
                return;
            }
            inRest *= in[i];
        }
        long outRest = 1;
        for (int j = 0; j < out.length; j++) {
            if (j == inferAt || spec[j] == 0) {
                continue;
            }
            outRest *= out[j];
        }
        if (outRest > 0 && inRest % outRest == 0) {
            out[inferAt] = (int) (inRest / outRest);
        }
    }

    /** The shape attribute of opsets before 5, or null. */
    public static long[] attributeShape(KernelContext ctx) {
        return ctx.opset() < 5 ? ctx.attrs().getInts("shape", null) : null;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        boolean allowZero = ctx.attrs().getInt("allowzero", 0) != 0;
        long[] fixed = attributeShape(ctx);
        if (ctx.opset() < 5 && fixed == null) {
            throw ctx.error("needs the shape attribute at opset " + ctx.opset());
        }
        return (in, ec) -> {
            long[] spec = fixed != null ? fixed : ShapeArgs.longs(in[1], "shape");
            int[] out = outputShape(spec, in[0].shape(), allowZero);
            return new Tensor[] {in[0].reshape(out)};
        };
    }
}
