package dev.kiln.core.quant;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.report.Similarity;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores a candidate calibration by simulation: the calibrated (fake-quantized) model built from
 * the candidate runs on a few calibration samples, and the score is the mean cosine similarity of
 * its outputs with the float model's, over samples and outputs.
 */
public final class FakeQuantEvaluator implements CandidateEvaluator {
    private final Model optimized;
    private final QuantPlan plan;
    private final List<Map<String, Tensor>> samples;
    private final List<Map<String, Tensor>> reference = new ArrayList<>();
    private final int threads;

    /** @param samples the samples to score on (kept in memory: a few suffice) */
    public FakeQuantEvaluator(Model optimized, QuantPlan plan, List<Map<String, Tensor>> samples, int threads) {
        this.optimized = optimized;
        this.plan = plan;
        this.samples = List.copyOf(samples);
        this.threads = threads;
        Executor ex = new Executor(optimized, threads);
        for (Map<String, Tensor> s : this.samples) {
            reference.add(ex.run(s));
        }
    }

    @Override
    public double score(CalibrationTable candidate) {
        Model c = QdqBuilder.calibrated(optimized, plan, candidate).model();
        Executor ex = new Executor(c, threads);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Tensor> out = ex.run(samples.get(i));
            for (Map.Entry<String, Tensor> e : reference.get(i).entrySet()) {
                Tensor q = out.get(e.getKey());
                if (q != null && e.getValue().dtype().isFloatingPoint()) {
                    sum += Similarity.cosine(e.getValue(), q);
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
