package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * RoiAlign: for each region of interest (x1, y1, x2, y2 in rois, scaled by spatial_scale, on image
 * batch_indices[i] of X [N, C, H, W]) an output_height x output_width grid of bins, each the
 * average ("avg") or maximum ("max") of bilinear samples on a regular sub-grid (sampling_ratio per
 * side, or ceil(bin size) when 0). Output [num_rois, C, output_height, output_width].
 *
 * <p>coordinate_transformation_mode (opset 16, default half_pixel) shifts the box by -0.5 pixel;
 * output_half_pixel (the only behaviour of opset 10) does not, and stretches boxes smaller than a
 * pixel to one pixel. As in ONNX Runtime, "max" takes the maximum over samples of the largest
 * weighted corner value {@code w_i * x_i}, and sample coordinates are computed in float32 for
 * float inputs.
 */
public final class RoiAlignKernel extends NamedFactory {
    public static final RoiAlignKernel INSTANCE = new RoiAlignKernel();

    private RoiAlignKernel() {
        super("RoiAlign", 143);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        var a = ctx.attrs();
        String mode = a.getString("mode", "avg");
        if (!mode.equals("avg") && !mode.equals("max")) {
            throw ctx.error("mode must be avg or max, found '" + mode + "'");
        }
        long oh = a.getInt("output_height", 1);
        long ow = a.getInt("output_width", 1);
        long ratio = a.getInt("sampling_ratio", 0);
        if (oh <= 0 || ow <= 0 || oh > Integer.MAX_VALUE || ow > Integer.MAX_VALUE || ratio < 0) {
            throw ctx.error("output_height and output_width must be positive and sampling_ratio non-negative, found "
                    + oh + ", " + ow + ", " + ratio);
        }
        float scale = a.getFloat("spatial_scale", 1f);
        boolean halfPixel;
        if (a.has("coordinate_transformation_mode")) {
            String cm = a.getString("coordinate_transformation_mode", "half_pixel");
            if (!cm.equals("half_pixel") && !cm.equals("output_half_pixel")) {
                throw ctx.error("coordinate_transformation_mode must be half_pixel or output_half_pixel, found '" + cm + "'");
            }
            halfPixel = cm.equals("half_pixel");
        } else {
            halfPixel = ctx.opset() >= 16;
        }
        boolean max = mode.equals("max");
        int h = (int) oh;
        int w = (int) ow;
        int r = (int) ratio;
        return (in, ec) -> new Tensor[] {run(in[0], in[1], in[2], h, w, r, scale, halfPixel, max, ec)};
    }

    private static Tensor run(Tensor x, Tensor rois, Tensor batch, int oh, int ow, int ratio, float spatialScale,
                              boolean halfPixel, boolean max, ExecContext ec) {
        DType t = x.dtype();
        if (!t.isFloatingPoint() || x.rank() != 4) {
            throw new IllegalArgumentException("X must be a 4-D float tensor, found " + t + " " + Arrays.toString(x.shape()));
        }
        if (rois.rank() != 2 || rois.dim(1) != 4) {
            throw new IllegalArgumentException("rois must have shape [num_rois, 4], found " + Arrays.toString(rois.shape()));
        }
        if (batch.rank() != 1 || batch.dim(0) != rois.dim(0)) {
            throw new IllegalArgumentException("batch_indices must have shape [" + rois.dim(0) + "], found "
                    + Arrays.toString(batch.shape()));
        }
        int n = rois.dim(0);
        int c = x.dim(1);
        int height = x.dim(2);
        int width = x.dim(3);
        boolean f32 = t != DType.DOUBLE;
        double[] xs = new double[x.size()];
        for (int i = 0; i < xs.length; i++) xs[i] = x.getDouble(i);
        double[] ys = new double[n * c * oh * ow];
        ec.parallel().forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                long b = batch.getLong(i);
                if (b < 0 || b >= x.dim(0)) {
                    throw new IllegalArgumentException("batch index " + b + " of roi " + i + " is outside [0, " + x.dim(0) + ")");
                }
                Samples s = new Samples(rois, i, height, width, oh, ow, ratio, spatialScale, halfPixel, f32);
                for (int ch = 0; ch < c; ch++) {
                    int base = (int) ((b * c + ch) * height * width);
                    int o = (i * c + ch) * oh * ow;
                    for (int bin = 0; bin < oh * ow; bin++) {
                        ys[o + bin] = s.pool(xs, base, bin, max);
                    }
                }
            }
        });
        Tensor y = Tensor.allocate(t, n, c, oh, ow);
        for (int i = 0; i < ys.length; i++) y.setDouble(i, ys[i]);
        return y;
    }

    /** The bilinear sample points (four corners and weights each) of every bin of one roi. */
    private static final class Samples {
        final int perBin;
        final int count;
        final int[] pos;
        final double[] wt;

        Samples(Tensor rois, int i, int height, int width, int oh, int ow, int ratio, float spatialScale,
                boolean halfPixel, boolean f32) {
            double off = halfPixel ? 0.5 : 0;
            double x1 = r(f32, r(f32, rois.getDouble(4 * i) * spatialScale) - off);
            double y1 = r(f32, r(f32, rois.getDouble(4 * i + 1) * spatialScale) - off);
            double x2 = r(f32, r(f32, rois.getDouble(4 * i + 2) * spatialScale) - off);
            double y2 = r(f32, r(f32, rois.getDouble(4 * i + 3) * spatialScale) - off);
            double rw = r(f32, x2 - x1);
            double rh = r(f32, y2 - y1);
            if (!halfPixel) {
                rw = Math.max(rw, 1.0);
                rh = Math.max(rh, 1.0);
            }
            double bh = r(f32, rh / oh);
            double bw = r(f32, rw / ow);
            int gh = ratio > 0 ? ratio : (int) Math.ceil(r(f32, rh / oh));
            int gw = ratio > 0 ? ratio : (int) Math.ceil(r(f32, rw / ow));
            perBin = Math.max(0, gh) * Math.max(0, gw);
            count = Math.max(gh * gw, 1);
            pos = new int[oh * ow * perBin * 4];
            wt = new double[oh * ow * perBin * 4];
            int k = 0;
            for (int ph = 0; ph < oh; ph++) {
                for (int pw = 0; pw < ow; pw++) {
                    for (int iy = 0; iy < gh; iy++) {
                        double yy = r(f32, r(f32, y1 + r(f32, ph * bh)) + r(f32, r(f32, (iy + 0.5f) * bh) / gh));
                        for (int ix = 0; ix < gw; ix++, k += 4) {
                            double xx = r(f32, r(f32, x1 + r(f32, pw * bw)) + r(f32, r(f32, (ix + 0.5f) * bw) / gw));
                            corners(yy, xx, height, width, k);
                        }
                    }
                }
            }
        }

        private static double r(boolean f32, double v) {
            return f32 ? (float) v : v;
        }

        private void corners(double y, double x, int height, int width, int k) {
            if (y < -1.0 || y > height || x < -1.0 || x > width) {
                return;
            }
            y = Math.max(y, 0);
            x = Math.max(x, 0);
            int yl = (int) y;
            int xl = (int) x;
            int yh;
            int xh;
            if (yl >= height - 1) {
                yh = yl = height - 1;
                y = yl;
            } else {
                yh = yl + 1;
            }
            if (xl >= width - 1) {
                xh = xl = width - 1;
                x = xl;
            } else {
                xh = xl + 1;
            }
            double ly = y - yl, lx = x - xl;
            double hy = 1 - ly, hx = 1 - lx;
            pos[k] = yl * width + xl;
            pos[k + 1] = yl * width + xh;
            pos[k + 2] = yh * width + xl;
            pos[k + 3] = yh * width + xh;
            wt[k] = hy * hx;
            wt[k + 1] = hy * lx;
            wt[k + 2] = ly * hx;
            wt[k + 3] = ly * lx;
        }

        double pool(double[] xs, int base, int bin, boolean max) {
            int k = bin * perBin * 4;
            if (!max) {
                double sum = 0;
                for (int s = 0; s < perBin; s++, k += 4) {
                    sum += wt[k] * xs[base + pos[k]] + wt[k + 1] * xs[base + pos[k + 1]]
                            + wt[k + 2] * xs[base + pos[k + 2]] + wt[k + 3] * xs[base + pos[k + 3]];
                }
                return sum / count;
            }
            double out = 0;
            for (int s = 0; s < perBin; s++, k += 4) {
                double v = Math.max(Math.max(Math.max(wt[k] * xs[base + pos[k]], wt[k + 1] * xs[base + pos[k + 1]]),
                        wt[k + 2] * xs[base + pos[k + 2]]), wt[k + 3] * xs[base + pos[k + 3]]);
                out = s == 0 ? v : Math.max(out, v);
            }
            return out;
        }
    }
}
