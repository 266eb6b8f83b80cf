package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Upsample (deprecated since opset 10 in favour of {@link ResizeKernel Resize}): nearest or linear upscaling by
 * per-axis scales of at least 1, given as the {@code scales} attribute (opset 7) or the second input
 * (opset 9). Output size is {@code floor(scale * in)}; coordinates are asymmetric
 * ({@code x_out / scale}) and nearest truncates, as ONNX Runtime does. "bilinear" is accepted as
 * an old spelling of "linear".
 */
public final class UpsampleKernel extends NamedFactory {
    public static final UpsampleKernel INSTANCE = new UpsampleKernel();

    private UpsampleKernel() {
        super("Upsample", 78);
    }

    /** Upsample as a Resize: its mode, asymmetric coordinates, truncating nearest, scales of at least 1. */
    public static ResizeKernel.Settings settings(KernelContext ctx) {
        ResizeKernel.Settings s = new ResizeKernel.Settings();
        String mode = ctx.attrs().getString("mode", "nearest");
        switch (mode) {
            case "nearest": s.mode = ResizeKernel.Mode.NEAREST; break;
            case "linear": case "bilinear": s.mode = ResizeKernel.Mode.LINEAR; break;
            default: throw ctx.error("mode must be nearest or linear, found '" + mode + "'");
        }
        s.coord = ResizeAxis.CoordMode.ASYMMETRIC;
        s.nearest = ResizeAxis.NearestMode.SIMPLE;
        s.scalesAtLeastOne = true;
        return s;
    }

    /** The scales attribute before opset 9; null when they come from the input. */
    public static float[] attributeScales(KernelContext ctx) {
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
    public Kernel prepare(KernelContext ctx) {
        ResizeKernel.Settings s = settings(ctx);
        float[] fixed = attributeScales(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            float[] scales = fixed;
            if (scales == null) {
                if (in.length < 2 || in[1] == null) {
                    throw new IllegalArgumentException("the scales input is required from opset 9");
                }
                scales = ResizeKernel.floatsOf(in[1]);
            }
            ResizeKernel.Plan p = ResizeKernel.plan(null, x.shape(), scales, null, s);
            float[] roi = ResizeKernel.roiOf(null, x.rank(), s);
            return new Tensor[] {ResizeKernel.resize(x, p, roi, s, ec)};
        };
    }
}
