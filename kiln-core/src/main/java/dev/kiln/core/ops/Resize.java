package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.ResizeKernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Resize: nearest, linear (bi/trilinear...) or cubic interpolation of any number of axes.
 *
 * <p>Inputs by opset: 10 takes (X, scales) with asymmetric coordinates and the old nearest
 * rounding (ceil when downscaling, else truncate); 11+ takes (X, roi, scales, sizes), exactly one
 * of scales and sizes non-empty, roi used only by tf_crop_and_resize; 18 adds {@code axes} (scales,
 * sizes and roi then list only those axes), {@code antialias} and {@code keep_aspect_ratio_policy}.
 *
 * <p>Sizes follow ONNX Runtime: with scales, {@code out = floor(scale * in)} in float32; with sizes,
 * the scale of an axis is {@code out / in} in float32, and that scale (not out/in of the rounded
 * result) drives the coordinate transform. An axis with scale exactly 1 is copied; when no axis
 * changes size the input is returned as is. Per-axis sampling is in {@code ResizeAxis}.
 *
 * <p>Kernel: {@link ResizeKernel}.
 */
public final class Resize extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        ResizeKernel.Settings s = ResizeKernel.settings(ctx);
        DType t = ctx.inputDtype(0);
        Dim[] in = Infer.dims(ctx, 0);
        if (in == null) {
            ctx.setOutput(0, t, (int[]) null);
            return;
        }
        int si = ResizeKernel.scalesInput(ctx);
        Tensor scales = ctx.hasInput(si) ? ctx.constant(si) : null;
        Tensor sizes = ctx.opset() >= 11 && ctx.hasInput(3) ? ctx.constant(3) : null;
        boolean haveScales = scales != null && scales.size() > 0;
        boolean haveSizes = sizes != null && sizes.size() > 0;
        boolean scalesUnknown = ctx.hasInput(si) && scales == null;
        boolean sizesUnknown = ctx.opset() >= 11 && ctx.hasInput(3) && sizes == null;
        Dim[] out = new Dim[in.length];
        Arrays.fill(out, Dim.UNKNOWN);
        if (haveScales && !sizesUnknown || haveSizes && !scalesUnknown) {
            int[] inShape = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                inShape[i] = in[i].isKnown() ? (int) in[i].value() : -1;
            }
            ResizeKernel.Plan p = ResizeKernel.plan(ctx, inShape, haveScales ? ResizeKernel.floatsOf(scales) : null,
                    haveSizes ? sizes.toLongArray() : null, s);
            for (int i = 0; i < in.length; i++) {
                out[i] = p.scales[i] == 1.0f && p.out[i] < 0 ? in[i] : p.out[i] >= 0 ? Dim.of(p.out[i]) : Dim.UNKNOWN;
            }
        }
        ctx.setOutput(0, t, out);
    }
}
