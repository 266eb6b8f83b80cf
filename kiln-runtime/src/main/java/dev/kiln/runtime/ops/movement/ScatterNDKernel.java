package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ScatterND: a copy of data where the slice addressed by each index row (as in GatherND) is
 * replaced by, or combined with (reduction, opsets 16 and 18), the matching slice of updates.
 * Rows are applied in order, so with duplicate indices the last update wins.
 */
public final class ScatterNDKernel implements KernelFactory {
    public static final ScatterNDKernel INSTANCE = new ScatterNDKernel();

    private ScatterNDKernel() {
    }

    @Override
    public String opType() {
        return "ScatterND";
    }

    @Override
    public int opcode() {
        return 75;
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
            int[] is = in[1].shape();
            int m = is[is.length - 1];
            int[] expected = new int[is.length - 1 + data.rank() - m];
            System.arraycopy(is, 0, expected, 0, is.length - 1);
            System.arraycopy(data.shape(), m, expected, is.length - 1, data.rank() - m);
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
