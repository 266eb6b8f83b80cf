package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Expand: broadcasts the input to the numpy broadcast of its shape and the given shape (so a 1 in
 * the shape keeps the input's dim, and the output rank is the larger of the two).
 */
public final class ExpandKernel extends NamedFactory {
    public static final ExpandKernel INSTANCE = new ExpandKernel();

    private ExpandKernel() {
        super("Expand", 70);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            int[] out = Shapes.broadcast(x.shape(), ShapeArgs.shape(in[1]));
            return new Tensor[] {Movement.strided(x, 0, out, Shapes.broadcastStrides(x.shape(), out), ec.parallel())};
        };
    }
}
