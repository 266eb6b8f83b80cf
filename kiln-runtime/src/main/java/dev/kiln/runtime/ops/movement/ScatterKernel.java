package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.tensor.Tensor;

/** Scatter (opsets 9-10, deprecated in 11): ScatterElements without reduction. */
public final class ScatterKernel implements KernelFactory {
    public static final ScatterKernel INSTANCE = new ScatterKernel();

    private ScatterKernel() {
    }

    @Override
    public String opType() {
        return "Scatter";
    }

    @Override
    public int opcode() {
        return 146;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axis = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> new Tensor[] {ScatterElementsKernel.scatter(in[0], in[1], in[2], axis, ScatterMath.NONE)};
    }
}
