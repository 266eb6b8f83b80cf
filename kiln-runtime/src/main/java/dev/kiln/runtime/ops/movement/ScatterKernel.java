package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/** Scatter (opsets 9-10, deprecated in 11): ScatterElements without reduction. */
public final class ScatterKernel extends NamedFactory {
    public static final ScatterKernel INSTANCE = new ScatterKernel();

    private ScatterKernel() {
        super("Scatter", 146);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axis = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> new Tensor[] {ScatterElementsKernel.scatter(in[0], in[1], in[2], axis, ScatterMath.NONE)};
    }
}
