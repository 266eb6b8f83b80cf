package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Upsample (deprecated since opset 10 in favour of {@link Resize}): nearest or linear upscaling by
 * per-axis scales of at least 1, given as the {@code scales} attribute (opset 7) or the second input
 * (opset 9). Output size is {@code floor(scale * in)}; coordinates are asymmetric
 * ({@code x_out / scale}) and nearest truncates, as ONNX Runtime does. "bilinear" is accepted as
 * an old spelling of "linear".
 */
public final class Upsample extends Op {
    @Override
    public int opcode() {
        return 78;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    private static Resize.Settings settings(OpContext ctx) {
        Resize.Settings s = new Resize.Settings();
        String mode = ctx.attrs().getString("mode", "nearest");
        switch (mode) {
            case "nearest": s.mode = Resize.Mode.NEAREST; break;
            case "linear": case "bilinear": s.mode = Resize.Mode.LINEAR; break;
            default: throw ctx.error("mode must be nearest or linear, found '" + mode + "'");
        }
        s.coord = ResizeAxis.CoordMode.ASYMMETRIC;
        s.nearest = ResizeAxis.NearestMode.SIMPLE;
        s.scalesAtLeastOne = true;
        return s;
    }

    /** The scales attribute before opset 9; null when they come from the input. */
    private static float[] attributeScales(OpContext ctx) {
        if (ctx.opset() >= 9) {
            return null;
        }
        float[] s = ctx.attrs().getFloats("scales", null);
        if (s == null) {
            throw ctx.error("the scales attribute is required before opset 9");
        }
        return s;
    }

    @Override
    public void infer(OpContext ctx) {
        Resize.Settings s = settings(ctx);
        float[] scales = attributeScales(ctx);
        if (scales == null && ctx.hasInput(1) && ctx.constant(1) != null) {
            scales = Resize.floatsOf(ctx.constant(1));
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
            Resize.Plan p = Resize.plan(ctx, inShape, scales, null, s);
            for (int i = 0; i < in.length; i++) {
                out[i] = p.scales[i] == 1.0f && p.out[i] < 0 ? in[i] : p.out[i] >= 0 ? Dim.of(p.out[i]) : Dim.UNKNOWN;
            }
        }
        ctx.setOutput(0, ctx.inputDtype(0), out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Resize.Settings s = settings(ctx);
        float[] fixed = attributeScales(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            float[] scales = fixed;
            if (scales == null) {
                if (in.length < 2 || in[1] == null) {
                    throw new IllegalArgumentException("the scales input is required from opset 9");
                }
                scales = Resize.floatsOf(in[1]);
            }
            Resize.Plan p = Resize.plan(null, x.shape(), scales, null, s);
            float[] roi = Resize.roiOf(null, x.rank(), s);
            return new Tensor[] {Resize.resize(x, p, roi, s, ec)};
        };
    }
}
