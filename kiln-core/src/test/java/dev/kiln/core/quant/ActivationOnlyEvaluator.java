package dev.kiln.core.quant;

import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test evaluator: runs the float model with every activation of the candidate table fake-quantized
 * in place (int8, symmetric, round half to even) and scores the mean cosine similarity of the
 * outputs with the float run's. Weights stay float. Counts its calls.
 */
final class ActivationOnlyEvaluator implements CandidateEvaluator {
    private final Executor executor;
    private final CalibrationSamples samples;
    private final List<Map<String, Tensor>> reference = new ArrayList<>();
    int calls;

    ActivationOnlyEvaluator(Model model, CalibrationSamples samples) {
        this.executor = new Executor(model, 1);
        this.samples = samples;
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Tensor> out = executor.run(samples.get(i));
            Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
            out.forEach((k, v) -> copy.put(k, v.copy()));
            reference.add(copy);
        }
    }

    @Override
    public double score(CalibrationTable candidate) {
        calls++;
        double total = 0;
        int n = 0;
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Tensor> out = executor.run(samples.get(i), new Executor.RunOptions(Set.of(), (v, t) -> {
                CalibrationTable.Entry e = candidate.get(v.name());
                if (e != null && t.dtype().isFloatingPoint()) {
                    fakeQuantize(t.floats(), t.size(), e.threshold() / 127f);
                }
            }));
            for (Map.Entry<String, Tensor> o : out.entrySet()) {
                total += cosine(reference.get(i).get(o.getKey()), o.getValue());
                n++;
            }
        }
        return total / n;
    }

    static void fakeQuantize(float[] x, int n, float scale) {
        for (int i = 0; i < n; i++) {
            x[i] = (float) (Math.max(-128, Math.min(127, Math.rint(x[i] / scale))) * scale);
        }
    }

    static double cosine(Tensor a, Tensor b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.sqrt(na * nb + 1e-30);
    }
}
