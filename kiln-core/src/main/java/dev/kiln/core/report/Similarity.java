package dev.kiln.core.report;

import dev.kiln.runtime.tensor.Tensor;

/** Agreement measures between a float reference tensor and a quantized model's (dequantized) tensor. */
public final class Similarity {
    private Similarity() {
    }

    /** Cosine similarity of the two tensors as vectors (1 for two all-zero tensors, 0 when one is zero). */
    public static double cosine(Tensor ref, Tensor other) {
        return cosine(ref, other, 1f);
    }

    /** Cosine similarity with other's values multiplied by scale (dequantizing int tensors). */
    public static double cosine(Tensor ref, Tensor other, float scale) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        int n = Math.min(ref.size(), other.size());
        for (int i = 0; i < n; i++) {
            double a = ref.getDouble(i);
            double b = other.getDouble(i) * scale;
            if (Double.isNaN(a) || Double.isNaN(b)) {
                continue;
            }
            ab += a * b;
            aa += a * a;
            bb += b * b;
        }
        if (aa == 0 && bb == 0) {
            return 1.0;
        }
        if (aa == 0 || bb == 0) {
            return 0.0;
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Distances of the output table: mean |a-b| (L1), sqrt(mean (a-b)^2) (L2), max |a-b| (Chebyshev). */
    public record Distances(double cosine, double l1, double l2, double chebyshev) {
    }

    public static Distances distances(Tensor ref, Tensor other, float scale) {
        int n = Math.min(ref.size(), other.size());
        double l1 = 0;
        double l2 = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.abs(ref.getDouble(i) - other.getDouble(i) * scale);
            if (Double.isNaN(d)) {
                continue;
            }
            l1 += d;
            l2 += d * d;
            max = Math.max(max, d);
        }
        return new Distances(cosine(ref, other, scale), n == 0 ? 0 : l1 / n, n == 0 ? 0 : Math.sqrt(l2 / n), max);
    }
}
