package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ScatterElements: a copy of data where, for every element of updates, the position with the
 * updates coordinate on axis replaced by the index receives it (or combines with it: reduction,
 * opsets 16 and 18). Updates are applied in order, so duplicates keep the last one.
 */
public final class ScatterElementsKernel extends NamedFactory {
    public static final ScatterElementsKernel INSTANCE = new ScatterElementsKernel();

    private ScatterElementsKernel() {
        super("ScatterElements", 123);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        ScatterMath reduction = ScatterMath.parse(ctx);
        long axis = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> new Tensor[] {scatter(in[0], in[1], in[2], axis, reduction)};
    }

    /** The computation shared with the deprecated Scatter. */
    static Tensor scatter(Tensor data, Tensor indices, Tensor updates, long axisValue, ScatterMath reduction) {
        ScatterMath.sameType(data, updates);
        if (!Arrays.equals(indices.shape(), updates.shape())) {
            throw new IllegalArgumentException("indices " + Arrays.toString(indices.shape()) + " and updates "
                    + Arrays.toString(updates.shape()) + " must have the same shape");
        }
        int axis = ShapeArgs.axis(axisValue, data.rank(), "axis");
        int[] pos = GatherElementsKernel.elementPositions(data.shape(), indices, axis);
        Tensor out = data.copy();
        for (int i = 0; i < pos.length; i++) {
            reduction.apply(out, pos[i], updates, i, 1);
        }
        return out;
    }
}
