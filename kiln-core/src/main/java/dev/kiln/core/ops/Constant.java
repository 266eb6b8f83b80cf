package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Attribute;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;

/** Constant: a tensor given by exactly one of the attributes value, value_float(s), value_int(s). */
public final class Constant extends Op {
    @Override
    public int opcode() {
        return 96;
    }

    /** The constant's value, or an error naming the node. */
    static Tensor value(OpContext ctx) {
        var a = ctx.attrs();
        if (a.has("value")) {
            return a.getTensor("value").tensor();
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
            return a.getTensor("sparse_value").tensor();
        }
        if (a.has("value_string") || a.has("value_strings")) {
            throw ctx.error("string constants are not supported");
        }
        List<String> names = a.all().stream().map(Attribute::name).toList();
        throw ctx.error("needs one of the attributes value, value_float(s), value_int(s); found " + names);
    }

    @Override
    public void infer(OpContext ctx) {
        ctx.setOutputConstant(0, value(ctx));
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Tensor v = value(ctx);
        return (in, ec) -> new Tensor[] {v};
    }

}
