package dev.kiln.core.quant;

import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Small models and synthetic sample sets for the calibration tests. */
final class CalibFixtures {
    private CalibFixtures() {
    }

    /**
     * x[1,2,6,6] -> Conv(3x3, pad 1, 4 channels) -> Relu -> Conv(1x1, 3 channels) -> Mul(0.5) -> y,
     * plus an integer side branch (Cast to int32 -> Cast back to float, an output too).
     */
    static Model convModel() {
        GraphBuilder b = new GraphBuilder("conv", 13);
        Value x = b.input("x", DType.FLOAT, 1, 2, 6, 6);
        Value c1 = b.op("Conv", List.of(x, b.weights("w1", 0.5f, 4, 2, 3, 3), b.weights("b1", 0.1f, 4)),
                GraphBuilder.ints("pads", 1, 1, 1, 1));
        Value r = b.op("Relu", c1);
        Value c2 = b.op("Conv", List.of(r, b.weights("w2", 0.5f, 3, 4, 1, 1)));
        Value y = b.op("Mul", List.of(c2, b.floats("half", 0.5f)));
        Value i = b.op("Cast", x, GraphBuilder.i("to", DType.INT32.onnxCode()));
        Value back = b.op("Cast", i, GraphBuilder.i("to", DType.FLOAT.onnxCode()));
        b.output(y, back);
        return b.build();
    }

    /** x[1,8] through {@code n} Add-by-constant nodes: n + 1 small float activations. */
    static Model chainModel(int n) {
        GraphBuilder b = new GraphBuilder("chain", 13);
        Value v = b.input("x", DType.FLOAT, 1, 8);
        Value c = b.floats("c", 0.01f);
        for (int i = 0; i < n; i++) {
            v = b.op("Add", List.of(v, c));
        }
        b.output(v);
        return b.build();
    }

    /** {@code count} seeded normal samples of one input, generated when asked for; counts the loads. */
    static final class RandomSamples implements CalibrationSamples {
        final String input;
        final int[] shape;
        final int count;
        final float scale;
        final AtomicInteger loads = new AtomicInteger();
        /** Every this many elements, one is 10 times larger (0: none). */
        int outlierEvery;

        RandomSamples(String input, int count, float scale, int... shape) {
            this.input = input;
            this.shape = shape;
            this.count = count;
            this.scale = scale;
        }

        RandomSamples withOutliers(int every) {
            outlierEvery = every;
            return this;
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public Map<String, Tensor> get(int index) {
            loads.incrementAndGet();
            Tensor t = TestTensors.normal(1000 + index, shape);
            float[] f = t.floats();
            for (int i = 0; i < f.length; i++) {
                f[i] *= scale * (outlierEvery > 0 && (i + index) % outlierEvery == 0 ? 10 : 1);
            }
            return Map.of(input, t);
        }

        @Override
        public List<String> inputNames() {
            return List.of(input);
        }

        @Override
        public String label(int index, String in) {
            return "s" + index;
        }
    }
}
