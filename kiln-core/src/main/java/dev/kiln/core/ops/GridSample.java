package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.GridSampleKernel;

import dev.kiln.core.ir.Dim;

/**
 * GridSample: samples X [N, C, H, W] (or [N, C, D, H, W], opset 20) at the normalized locations of
 * grid [N, H_out, W_out, 2] (x then y, in [-1, 1]) giving [N, C, H_out, W_out].
 *
 * <p>Modes: bilinear/linear, nearest (round half to even), bicubic/cubic (Keys, A = -0.75, 2-D
 * only); opset 16 spells them bilinear/bicubic, opset 20 linear/cubic, and either is accepted.
 * align_corners maps -1 and 1 to the centres of the corner pixels, otherwise to their outer edges.
 * Samples outside the image are 0 (zeros), the nearest edge pixel (border) or reflected (reflection);
 * as in ONNX Runtime, border and reflection apply to each integer tap, not to the coordinate.
 *
 * <p>Kernel: {@link GridSampleKernel}.
 */
public final class GridSample extends Op {
    @Override
    public void infer(OpContext ctx) {
        Dim[] x = Infer.dims(ctx, 0);
        Dim[] g = Infer.dims(ctx, 1);
        if (x == null || g == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        if (g.length != x.length) {
            throw ctx.error("grid has rank " + g.length + " but X has rank " + x.length + "; they must match");
        }
        Dim[] out = new Dim[x.length];
        out[0] = x[0].isKnown() ? x[0] : g[0];
        out[1] = x[1];
        System.arraycopy(g, 1, out, 2, x.length - 2);
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
