package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Flatten: a 2-D view [d_0 * ... * d_{axis-1}, d_axis * ... * d_{r-1}]; axis in [-r, r] (negative
 * from opset 11), default 1. Shares the data.
 */
public final class FlattenKernel extends NamedFactory {
    public static final FlattenKernel INSTANCE = new FlattenKernel();

    private FlattenKernel() {
        super("Flatten", 66);
    }

    /** The axis normalized into [0, rank] (rank itself is allowed: everything goes to the first dim). */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank
                    + " (expected " + -rank + " to " + rank + ")");
        }
        return (int) a;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axis = ctx.attrs().getInt("axis", 1);
        return (in, ec) -> {
            int[] s = in[0].shape();
            int a = axis(axis, s.length);
            return new Tensor[] {in[0].reshape(Shapes.product(s, 0, a), Shapes.product(s, a, s.length))};
        };
    }
}
