package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * EyeLike: a 2-D tensor shaped like the input with ones on the k-th diagonal (k > 0 above the
 * main one) and zeros elsewhere; element type from the dtype attribute, else the input's.
 */
public final class EyeLikeKernel extends NamedFactory {
    public static final EyeLikeKernel INSTANCE = new EyeLikeKernel();

    private EyeLikeKernel() {
        super("EyeLike", 103);
    }

    /** The output's element type: the dtype attribute, else {@code input}. */
    public static DType dtype(KernelContext ctx, DType input) {
        if (!ctx.attrs().has("dtype")) {
            return input;
        }
        int code = (int) ctx.attrs().getInt("dtype", 0);
        DType t = DType.fromOnnx(code);
        if (t == null) {
            throw ctx.error("dtype " + DType.onnxName(code) + " is not supported");
        }
        return t;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long k = ctx.attrs().getInt("k", 0);
        DType fixed = ctx.attrs().has("dtype") ? dtype(ctx, null) : null;
        return (in, ec) -> {
            int[] s = in[0].shape();
            if (s.length != 2) {
                throw new IllegalArgumentException("expects a 2-D input, found rank " + s.length);
            }
            Tensor out = Tensor.allocate(fixed != null ? fixed : in[0].dtype(), s);
            for (long i = Math.max(0, -k); i < s[0] && i + k < s[1]; i++) {
                out.setLong((int) (i * s[1] + i + k), 1);
            }
            return new Tensor[] {out};
        };
    }
}
