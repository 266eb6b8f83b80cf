package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.RoiAlignKernel;

import dev.kiln.core.ir.Dim;

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
 *
 * <p>Kernel: {@link RoiAlignKernel}.
 */
public final class RoiAlign extends Op {
    @Override
    public void infer(OpContext ctx) {
        long oh = ctx.attrs().getInt("output_height", 1);
        long ow = ctx.attrs().getInt("output_width", 1);
        Dim[] x = Infer.dims(ctx, 0);
        Dim[] rois = Infer.dims(ctx, 1);
        Dim n = rois != null && rois.length == 2 ? rois[0] : Dim.UNKNOWN;
        Dim c = x != null && x.length == 4 ? x[1] : Dim.UNKNOWN;
        ctx.setOutput(0, ctx.inputDtype(0), new Dim[] {n, c, Dim.of(oh), Dim.of(ow)});
    }
}
