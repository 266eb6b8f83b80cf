package dev.kiln.core.ops;

import dev.kiln.runtime.ops.nn.ResizeKernel;
import dev.kiln.runtime.ops.nn.UpsampleKernel;

import dev.kiln.core.ir.Dim;

import java.util.Arrays;

/**
 * Upsample (deprecated since opset 10 in favour of {@link Resize}): nearest or linear upscaling by
 * per-axis scales of at least 1, given as the {@code scales} attribute (opset 7) or the second input
 * (opset 9). Output size is {@code floor(scale * in)}; coordinates are asymmetric
 * ({@code x_out / scale}) and nearest truncates, as ONNX Runtime does. "bilinear" is accepted as
 * an old spelling of "linear".
 *
 * <p>Kernel: {@link UpsampleKernel}.
 */
public final class Upsample extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        ResizeKernel.Settings s = UpsampleKernel.settings(ctx);
        float[] scales = UpsampleKernel.attributeScales(ctx);
        if (scales == null && ctx.hasInput(1) && ctx.constant(1) != null) {
            scales = ResizeKernel.floatsOf(ctx.constant(1));
        }
        Dim[] in = Infer.dims(ctx, 0);
        if (in == null) {
            ctx.setOutput(0, ctx.inputDtype(0), (int[]) null);
            return;
        }
        Dim[] out = new Dim[in.length];
        Arrays.fill(out, Dim.UNKNOWN);
        if (scales != null) {
            int[] inShape = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                inShape[i] = in[i].isKnown() ? (int) in[i].value() : -1;
            }
            ResizeKernel.Plan p = ResizeKernel.plan(ctx, inShape, scales, null, s);
            for (int i = 0; i < in.length; i++) {
                out[i] = p.scales[i] == 1.0f && p.out[i] < 0 ? in[i] : p.out[i] >= 0 ? Dim.of(p.out[i]) : Dim.UNKNOWN;
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }
}
