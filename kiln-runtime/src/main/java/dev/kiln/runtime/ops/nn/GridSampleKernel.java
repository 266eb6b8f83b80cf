package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * GridSample: samples X [N, C, H, W] (or [N, C, D, H, W], opset 20) at the normalized locations of
 * grid [N, H_out, W_out, 2] (x then y, in [-1, 1]) giving [N, C, H_out, W_out].
 *
 * <p>Modes: bilinear/linear, nearest (round half to even), bicubic/cubic (Keys, A = -0.75, 2-D
 * only); opset 16 spells them bilinear/bicubic, opset 20 linear/cubic, and either is accepted.
 * align_corners maps -1 and 1 to the centres of the corner pixels, otherwise to their outer edges.
 * Samples outside the image are 0 (zeros), the nearest edge pixel (border) or reflected (reflection);
 * as in ONNX Runtime, border and reflection apply to each integer tap, not to the coordinate.
 */
public final class GridSampleKernel extends NamedFactory {
    public static final GridSampleKernel INSTANCE = new GridSampleKernel();

    private GridSampleKernel() {
        super("GridSample", 142);
    }

    private enum Mode { LINEAR, NEAREST, CUBIC }

    private enum Padding { ZEROS, BORDER, REFLECTION }

    @Override
    public Kernel prepare(KernelContext ctx) {
        String m = ctx.attrs().getString("mode", ctx.opset() >= 20 ? "linear" : "bilinear");
        Mode mode;
        switch (m) {
            case "bilinear": case "linear": mode = Mode.LINEAR; break;
            case "nearest": mode = Mode.NEAREST; break;
            case "bicubic": case "cubic": mode = Mode.CUBIC; break;
            default: throw ctx.error("mode must be linear (bilinear), nearest or cubic (bicubic), found '" + m + "'");
        }
        String p = ctx.attrs().getString("padding_mode", "zeros");
        Padding padding;
        switch (p) {
            case "zeros": padding = Padding.ZEROS; break;
            case "border": padding = Padding.BORDER; break;
            case "reflection": padding = Padding.REFLECTION; break;
            default: throw ctx.error("padding_mode must be zeros, border or reflection, found '" + p + "'");
        }
        boolean align = ctx.attrs().getInt("align_corners", 0) != 0;
        return (in, ec) -> new Tensor[] {run(in[0], in[1], mode, padding, align, ec)};
    }

    private static Tensor run(Tensor x, Tensor grid, Mode mode, Padding padding, boolean align, ExecContext ec) {
        DType t = x.dtype();
        if (!t.isFloatingPoint() || !grid.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("GridSample needs float tensors, found X " + t + " and grid " + grid.dtype());
        }
        int r = x.rank();
        if (r != 4 && r != 5) {
            throw new IllegalArgumentException("X must be 4-D or 5-D, found shape " + Arrays.toString(x.shape()));
        }
        int sp = r - 2;
        if (grid.rank() != r || grid.dim(r - 1) != sp || grid.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("grid must have shape [" + x.dim(0) + ", ..., " + sp + "] of rank " + r
                    + ", found " + Arrays.toString(grid.shape()));
        }
        if (mode == Mode.CUBIC && sp != 2) {
            throw new IllegalArgumentException("cubic mode needs a 4-D input, found " + Arrays.toString(x.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        // sizes in x, y, z order (innermost first), as the grid lists coordinates
        int[] size = new int[sp];
        for (int i = 0; i < sp; i++) size[i] = x.dim(r - 1 - i);
        int[] outShape = new int[r];
        outShape[0] = n;
        outShape[1] = c;
        System.arraycopy(grid.shape(), 1, outShape, 2, sp);
        int points = 1;
        for (int i = 2; i < r; i++) points *= outShape[i];
        int plane = x.size() / Math.max(1, n * c);
        double[] xs = doubles(x);
        double[] coords = coordinates(grid, size, align, t == DType.DOUBLE);
        Tensor y = Tensor.allocate(t, outShape);
        double[] ys = new double[y.size()];
        Sampler s = new Sampler(size, padding, align);
        int pts = points;
        ec.parallel().forRange(n * c, Math.max(1, 4096 / Math.max(1, points)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int b = pl / c;
                int base = pl * plane;
                for (int q = 0; q < pts; q++) {
                    int g = (b * pts + q) * sp;
                    ys[pl * pts + q] = s.sample(xs, base, coords, g, mode);
                }
            }
        });
        for (int i = 0; i < ys.length; i++) {
            y.setDouble(i, ys[i]);
        }
        return y;
    }

    private static double[] doubles(Tensor t) {
        if (t.dtype() == DType.DOUBLE) {
            return t.doubles();
        }
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) d[i] = t.getDouble(i);
        return d;
    }

    /** Grid locations in pixel units, computed in float32 for float inputs as ONNX Runtime does. */
    private static double[] coordinates(Tensor grid, int[] size, boolean align, boolean inDouble) {
        int sp = size.length;
        double[] out = new double[grid.size()];
        for (int i = 0; i < out.length; i++) {
            int len = size[i % sp];
            double v = grid.getDouble(i);
            if (inDouble) {
                out[i] = align ? (v + 1) / 2.0 * (len - 1) : ((v + 1) * len - 1) / 2.0;
            } else {
                float f = (float) v;
                out[i] = align ? (f + 1) / 2.f * (len - 1) : ((f + 1) * len - 1) / 2.f;
            }
        }
        return out;
    }

    /** Reads pixels with the padding rule and interpolates one location. */
    private static final class Sampler {
        final int[] size;
        final int[] stride;
        final Padding padding;
        final double[] lo;
        final double[] hi;

        Sampler(int[] size, Padding padding, boolean align) {
            this.size = size;
            this.padding = padding;
            int sp = size.length;
            stride = new int[sp];
            lo = new double[sp];
            hi = new double[sp];
            int s = 1;
            for (int i = 0; i < sp; i++) {
                stride[i] = s;
                s *= size[i];
                lo[i] = align ? 0 : -0.5;
                hi[i] = align ? size[i] - 1 : size[i] - 0.5;
            }
        }

        /** Offset of integer position p along axis a, or -1 for a zero (padded) sample. */
        int offset(int a, long p) {
            if (p >= 0 && p < size[a]) {
                return (int) p * stride[a];
            }
            switch (padding) {
                case BORDER:
                    return (int) Math.max(0, Math.min(size[a] - 1, p)) * stride[a];
                case REFLECTION:
                    return (int) Math.max(0, Math.min(size[a] - 1, (long) reflect(p, lo[a], hi[a]))) * stride[a];
                default:
                    return -1;
            }
        }

        private static double reflect(double x, double min, double max) {
            double range = max - min;
            if (x < min) {
                double dx = min - x;
                int k = (int) (dx / range);
                double rem = dx - k * range;
                return k % 2 == 0 ? min + rem : max - rem;
            }
            if (x > max) {
                double dx = x - max;
                int k = (int) (dx / range);
                double rem = dx - k * range;
                return k % 2 == 0 ? max - rem : min + rem;
            }
            return x;
        }

        private double pixel(double[] xs, int base, long px, long py, long pz) {
            int ox = offset(0, px);
            int oy = offset(1, py);
            int oz = size.length > 2 ? offset(2, pz) : 0;
            return ox < 0 || oy < 0 || oz < 0 ? 0.0 : xs[base + ox + oy + oz];
        }

        double sample(double[] xs, int base, double[] c, int g, Mode mode) {
            double x = c[g];
            double y = c[g + 1];
            double z = size.length > 2 ? c[g + 2] : 0;
            if (mode == Mode.NEAREST) {
                return pixel(xs, base, (long) Math.rint(x), (long) Math.rint(y), (long) Math.rint(z));
            }
            if (mode == Mode.LINEAR) {
                long x1 = (long) Math.floor(x);
                long y1 = (long) Math.floor(y);
                double dx1 = x - x1, dx2 = x1 + 1 - x;
                double dy1 = y - y1, dy2 = y1 + 1 - y;
                if (size.length == 2) {
                    return plane(xs, base, x1, y1, 0, dx1, dx2, dy1, dy2);
                }
                long z1 = (long) Math.floor(z);
                double dz1 = z - z1, dz2 = z1 + 1 - z;
                return dz2 * plane(xs, base, x1, y1, z1, dx1, dx2, dy1, dy2)
                        + dz1 * plane(xs, base, x1, y1, z1 + 1, dx1, dx2, dy1, dy2);
            }
            long x0 = (long) Math.floor(x) - 1;
            long y0 = (long) Math.floor(y) - 1;
            double[] cx = cubic(x - x0 - 1);
            double[] cy = cubic(y - y0 - 1);
            double out = 0;
            for (int h = 0; h < 4; h++) {
                double v = 0;
                for (int w = 0; w < 4; w++) {
                    v += cx[w] * pixel(xs, base, x0 + w, y0 + h, 0);
                }
                out += cy[h] * v;
            }
            return out;
        }

        private double plane(double[] xs, int base, long x1, long y1, long z, double dx1, double dx2, double dy1,
                             double dy2) {
            return dy2 * (dx2 * pixel(xs, base, x1, y1, z) + dx1 * pixel(xs, base, x1 + 1, y1, z))
                    + dy1 * (dx2 * pixel(xs, base, x1, y1 + 1, z) + dx1 * pixel(xs, base, x1 + 1, y1 + 1, z));
        }

        private static double[] cubic(double s) {
            double a = -0.75;
            double x = Math.abs(s);
            return new double[] {
                ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a,
                ((a + 2) * x - (a + 3)) * x * x + 1,
                ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1,
                ((a * (2 - x) - 5 * a) * (2 - x) + 8 * a) * (2 - x) - 4 * a};
        }
    }
}
