package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** Size: the input's element count as an int64 scalar (a constant when the input shape is static). */
public final class Size extends Op {
    @Override
    public int opcode() {
        return 95;
    }

    @Override
    public void infer(OpContext ctx) {
        int[] s = ctx.inputShape(0);
        if (ShapeArgs.isStatic(s)) {
            ctx.setOutputConstant(0, Tensor.scalarLong(ShapeArgs.knownProduct(s, 0, s.length)));
        } else {
            ctx.setOutput(0, DType.INT64, new int[0]);
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        return (in, ec) -> new Tensor[] {Tensor.scalarLong(in[0].size())};
    }
}
