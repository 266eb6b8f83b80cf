package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Compress: keeps the slices along axis whose condition entry is true (a 1-D bool tensor, which
 * may be shorter than the dim: missing entries count as false;
 * entries past the dim are ignored). Without axis the input is read
 * flattened and the output is 1-D.
 */
public final class CompressKernel extends NamedFactory {
    public static final CompressKernel INSTANCE = new CompressKernel();

    private CompressKernel() {
        super("Compress", 139);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        boolean hasAxis = ctx.attrs().has("axis");
        long axisValue = ctx.attrs().getInt("axis", 0);
        return (in, ec) -> {
            Tensor x = hasAxis ? in[0] : in[0].reshape(in[0].size());
            Tensor cond = in[1];
            if (cond.rank() != 1) {
                throw new IllegalArgumentException("condition must be 1-D, found rank " + cond.rank());
            }
            int axis = ShapeArgs.axis(axisValue, x.rank(), "axis");
            int dim = x.dim(axis);
            // entries past the dim are ignored, as ONNX Runtime does
            int n = Math.min(cond.size(), dim);
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += cond.getBool(i) ? 1 : 0;
            }
            int[] idx = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (cond.getBool(i)) {
                    idx[k++] = i;
                }
            }
            int[] out = x.shape().clone();
            out[axis] = count;
            return new Tensor[] {Movement.gatherAxis(x, axis, idx, out, ec.parallel())};
        };
    }
}
