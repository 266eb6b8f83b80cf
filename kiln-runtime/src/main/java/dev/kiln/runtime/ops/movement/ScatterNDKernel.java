package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ScatterND: a copy of data where the slice addressed by each index row (as in GatherND) is
 * replaced by, or combined with (reduction, opsets 16 and 18), the matching slice of updates.
 * Rows are applied in order, so with duplicate indices the last update wins.
 */
public final class ScatterNDKernel extends NamedFactory {
    public static final ScatterNDKernel INSTANCE = new ScatterNDKernel();

    private ScatterNDKernel() {
        super("ScatterND", 75);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        ScatterMath reduction = ScatterMath.parse(ctx);
        return (in, ec) -> {
            Tensor data = in[0];
            Tensor updates = in[2];
            ScatterMath.sameType(data, updates);
            int[][] rows = GatherNDKernel.rows(data.shape(), in[1], 0);
            int[] pos = rows[0];
            int block = rows[1][0];
            int[] expected = GatherNDKernel.outShape(data.shape(), in[1].shape(), 0);
            if (!Arrays.equals(expected, updates.shape())) {
                throw new IllegalArgumentException("updates have shape " + Arrays.toString(updates.shape())
                        + ", expected " + Arrays.toString(expected));
            }
            Tensor out = data.copy();
            for (int i = 0; i < pos.length; i++) {
                reduction.apply(out, pos[i], updates, i * block, block);
            }
            return new Tensor[] {out};
        };
    }
}
