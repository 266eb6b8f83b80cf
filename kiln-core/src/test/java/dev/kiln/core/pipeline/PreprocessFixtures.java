package dev.kiln.core.pipeline;

import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.core.testing.GraphBuilder.ints;

/** Small models, input specs and data for the preprocessing tests. */
final class PreprocessFixtures {
    static final int H = 6;
    static final int W = 8;
    static final float[] RGB_MEAN = {123.675f, 116.28f, 103.53f};
    static final float[] RGB_SCALE = {0.01712475f, 0.017507f, 0.01742919f};

    private PreprocessFixtures() {
    }

    /** One configured input. */
    static InputSpec spec(String name, InputType train, Layout layout, InputType rt, ColorRange range, NormType norm,
                          float[] mean, float[] scale, int[] shape) {
        return new InputSpec(name, train, layout, rt, rt == InputType.NV12 ? null : layout, range, shape, 1, norm,
                mean, scale);
    }

    /** A spec with per-channel mean and scale suited to the channel count. */
    static InputSpec spec(InputType train, Layout layout, InputType rt, ColorRange range, NormType norm) {
        boolean gray = train == InputType.GRAY;
        float[] mean = gray ? new float[] {127f} : RGB_MEAN;
        float[] scale = gray ? new float[] {1f / 128} : RGB_SCALE;
        return spec("", train, layout, rt, range, norm, mean, scale, null);
    }

    static InputParameters params(InputSpec... specs) {
        return new InputParameters(List.of(specs));
    }

    /**
     * input (1 x C x H x W or 1 x H x W x C) → [Transpose to NCHW] → Conv 3x3 pad 1 → Relu → Conv 1x1 → out.
     * Built the same way every time (seeded weights).
     */
    static Model convModel(int channels, Layout layout) {
        GraphBuilder b = new GraphBuilder("small_conv", 13);
        Value x = layout == Layout.NCHW ? b.input("data", DType.FLOAT, 1, channels, H, W)
                : b.input("data", DType.FLOAT, 1, H, W, channels);
        if (layout == Layout.NHWC) {
            x = b.op("Transpose", x, ints("perm", 0, 3, 1, 2));
        }
        Value y = b.op("Conv", List.of(x, b.weights("w1", 0.3f, 4, channels, 3, 3), b.weights("b1", 0.1f, 4)),
                ints("pads", 1, 1, 1, 1));
        y = b.op("Relu", y);
        y = b.op("Conv", List.of(y, b.weights("w2", 0.5f, 2, 4, 1, 1), b.weights("b2", 0.1f, 2)));
        return b.output(y).build();
    }

    /** Uniform int8 over the whole range. */
    static Tensor randomIntermediate(long seed, int... shape) {
        return TestTensors.integers(seed, DType.INT8, -128, 127, shape);
    }

    /** Every allowed (train, rt, range) triple; video range only where the run-time type is YUV. */
    static List<Object[]> typeCombinations() {
        List<Object[]> out = new ArrayList<>();
        for (InputType train : new InputType[] {InputType.RGB, InputType.BGR, InputType.YUV444, InputType.GRAY}) {
            for (InputType rt : InputSpecs.allowedRuntimeTypes(train)) {
                boolean yuv = rt == InputType.NV12 || rt == InputType.YUV444;
                out.add(new Object[] {train, rt, ColorRange.REGULAR});
                if (yuv) {
                    out.add(new Object[] {train, rt, ColorRange.BT601_VIDEO});
                }
            }
        }
        return out;
    }
}
