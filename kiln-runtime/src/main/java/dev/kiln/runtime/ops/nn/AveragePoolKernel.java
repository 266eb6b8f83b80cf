package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * AveragePool: the mean of each window over 1, 2 or 3 spatial axes of an [N, C, ...] tensor, with
 * windows placed by {@link PoolGeometry} (dilations from opset 19).
 *
 * <p>The divisor is the number of taps inside the input, or with {@code count_include_pad = 1} the
 * number of taps including padding. ONNX Runtime counts the latter differently by opset, and so do
 * we: before opset 19 it is the whole kernel, even for a ceil_mode window that runs past the end
 * padding; from opset 19 only taps up to the end padding are counted, where the end padding of
 * spatial axis i is read as element {@code 2i+1} of the (begin..., end...) pads list, as if it were
 * interleaved. For one axis, or two axes with equal padding, that is the axis's own end padding.
 */
public final class AveragePoolKernel extends NamedFactory {
    public static final AveragePoolKernel INSTANCE = new AveragePoolKernel();

    private AveragePoolKernel() {
        super("AveragePool", 55);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        PoolGeometry g = PoolGeometry.fromAttributes(ctx);
        if (g.rank > 3) {
            throw ctx.error("pooling over " + g.rank + " spatial axes is not supported (at most 3)");
        }
        boolean countPad = ctx.attrs().getInt("count_include_pad", 0) != 0;
        boolean clipToPaddedEnd = ctx.opset() >= 19;
        return (in, ec) -> new Tensor[] {pool(in[0], g, countPad, clipToPaddedEnd, 0, ec)};
    }

    /** The padding past the input end that count_include_pad counts, per axis, from opset 19. */
    private static int[] countedEndPadding(PoolGeometry.Resolved r) {
        int n = r.in.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int k = 2 * i + 1;
            out[i] = k < n ? r.padBegin[k] : r.padEnd[k - n];
        }
        return out;
    }

    /** Average (p = 0) or Lp (p > 0) pooling of x; shared with {@link LpPoolKernel}. */
    static Tensor pool(Tensor x, PoolGeometry g, boolean countPad, boolean clipToPaddedEnd, int p, ExecContext ec) {
        DType t = x.dtype();
        if (!t.isFloatingPoint()) {
            throw new IllegalArgumentException("expected a float, float16, bfloat16 or double tensor, found " + t);
        }
        int[] shape = MaxPoolKernel.checkRank(x, g);
        PoolGeometry.Resolved r = g.resolve(java.util.Arrays.copyOfRange(shape, 2, shape.length));
        int[] outShape = MaxPoolKernel.outShape(shape, r);
        PoolKernels.Windows w = new PoolKernels.Windows(g, r, clipToPaddedEnd ? countedEndPadding(r) : null);
        int planes = shape[0] * shape[1];
        if (t == DType.DOUBLE) {
            double[] xs = x.doubles();
            double[] ys = new double[planes * w.outPlane];
            ec.parallel().forRange(planes, w.grain(), (from, to) -> {
                for (int i = from; i < to; i++) PoolKernels.average(xs, ys, i, countPad, p, w);
            });
            return Tensor.wrap(t, outShape, ys);
        }
        float[] xs = x.floats();
        float[] ys = new float[planes * w.outPlane];
        ec.parallel().forRange(planes, w.grain(), (from, to) -> {
            for (int i = from; i < to; i++) PoolKernels.average(xs, ys, i, countPad, p, w);
        });
        return PoolKernels.fromFloats(t, ys, outShape);
    }
}
