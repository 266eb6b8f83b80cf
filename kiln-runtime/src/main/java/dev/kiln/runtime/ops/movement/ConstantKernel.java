package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/** Constant: a tensor given by exactly one of the attributes value, value_float(s), value_int(s). */
public final class ConstantKernel extends NamedFactory {
    public static final ConstantKernel INSTANCE = new ConstantKernel();

    private ConstantKernel() {
        super("Constant", 96);
    }

    /** The constant's value, or null when none of the value attributes is present. */
    public static Tensor value(KernelContext ctx) {
        AttrView a = ctx.attrs();
        if (a.has("value")) {
            return a.tensorValue("value");
        }
        if (a.has("value_float")) {
            return Tensor.scalar(a.getFloat("value_float", 0f));
        }
        if (a.has("value_floats")) {
            float[] f = a.getFloats("value_floats", new float[0]);
            return Tensor.of(f, f.length);
        }
        if (a.has("value_int")) {
            return Tensor.scalarLong(a.getInt("value_int", 0));
        }
        if (a.has("value_ints")) {
            return Tensor.vector(a.getInts("value_ints", new long[0]));
        }
        if (a.has("sparse_value")) {
            return a.tensorValue("sparse_value");
        }
        if (a.has("value_string") || a.has("value_strings")) {
            throw ctx.error("string constants are not supported");
        }
        return null;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Tensor v = value(ctx);
        if (v == null) {
            throw ctx.error("needs one of the attributes value, value_float(s), value_int(s)");
        }
        return (in, ec) -> new Tensor[] {v};
    }
}
