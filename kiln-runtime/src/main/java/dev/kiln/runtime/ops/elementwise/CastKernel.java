package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Cast: converts to the element type {@code to}, between any two numeric or bool types: floats to
 * integers truncate toward zero and wrap, anything to bool is x != 0, to half types rounds to
 * nearest even. The {@code saturate} attribute (opset 19) only concerns float8 types, which Kiln
 * does not support; strings are not supported either.
 */
public final class CastKernel extends NamedFactory {
    public static final CastKernel INSTANCE = new CastKernel();

    private CastKernel() {
        super("Cast", 99);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        DType to = target(ctx);
        checkSource(ctx, ctx.inputDtype(0));
        return (in, ec) -> new Tensor[] {convert(in[0], to)};
    }

    /** The element type of attribute {@code to}, or an error when it is missing or unsupported. */
    public static DType target(KernelContext ctx) {
        if (!ctx.attrs().has("to")) {
            throw ctx.error("attribute 'to' is required");
        }
        return supported(ctx, (int) ctx.attrs().getInt("to", 0), "target");
    }

    /** The element type for an ONNX type code, or an error naming the unsupported type. */
    static DType supported(KernelContext ctx, int code, String what) {
        DType t = DType.fromOnnx(code);
        if (t == null || t == DType.STRING) {
            throw ctx.error(what + " type " + DType.onnxName(code) + " is not supported (Kiln casts between"
                    + " numeric and bool types only)");
        }
        return t;
    }

    static void checkSource(KernelContext ctx, DType from) {
        if (from == DType.STRING) {
            throw ctx.error("casting from string tensors is not supported");
        }
    }

    /** x converted to type {@code to}; x itself when it already has that type. */
    public static Tensor convert(Tensor x, DType to) {
        if (to == DType.FLOAT && x.dtype() != to && (x.dtype().isInteger() && x.dtype() != DType.UINT64)) {
            return integersToFloat(x);
        }
        return x.castTo(to);
    }

    /**
     * 8-, 16-, 32- and 64-bit integers to float32 in one typed loop: the value rounded once to
     * float32, as {@link Tensor#castTo} does through double (exact below 2^53, so no double rounding).
     */
    private static Tensor integersToFloat(Tensor x) {
        Tensor out = Tensor.allocateForOverwrite(DType.FLOAT, x.shape());
        float[] o = out.floats();
        int n = x.size();
        switch (x.dtype()) {
            case INT8: {
                byte[] s = x.bytes();
                for (int i = 0; i < n; i++) o[i] = s[i];
                break;
            }
            case UINT8: {
                byte[] s = x.bytes();
                for (int i = 0; i < n; i++) o[i] = s[i] & 0xff;
                break;
            }
            case INT16: {
                short[] s = x.shorts();
                for (int i = 0; i < n; i++) o[i] = s[i];
                break;
            }
            case UINT16: {
                short[] s = x.shorts();
                for (int i = 0; i < n; i++) o[i] = s[i] & 0xffff;
                break;
            }
            case INT32: case UINT32: {
                int[] s = x.ints();
                boolean unsigned = x.dtype() == DType.UINT32;
                for (int i = 0; i < n; i++) o[i] = (float) (double) (unsigned ? s[i] & 0xffffffffL : s[i]);
                break;
            }
            default: {
                long[] s = x.longs();
                for (int i = 0; i < n; i++) o[i] = (float) (double) s[i];
            }
        }
        return out;
    }
}
