package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ConstantKernel;

import dev.kiln.core.ir.Attribute;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;

/**
 * Constant: a tensor given by exactly one of the attributes value, value_float(s), value_int(s).
 * Kernel: {@link ConstantKernel}.
 */
public final class Constant extends Op {
    @Override
    public void infer(OpContext ctx) {
        Tensor v = ConstantKernel.value(ctx);
        if (v == null) {
            List<String> names = ctx.attrs().all().stream().map(Attribute::name).toList();
            throw ctx.error("needs one of the attributes value, value_float(s), value_int(s); found " + names);
        }
        ctx.setOutputConstant(0, v);
    }
}
