package dev.kiln.core.util;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Locale;

/** One-line descriptions of tensors for logs: type, shape, and the values or their range. */
public final class TensorSummary {
    private static final int MAX_LISTED = 16;

    private TensorSummary() {
    }

    public static String describe(Tensor t) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.dtype()).append(Shapes.toString(t.shape()));
        int n = t.size();
        if (n == 0) {
            return sb.append(" (empty)").toString();
        }
        boolean fp = t.dtype().isFloatingPoint();
        if (n <= MAX_LISTED) {
            sb.append(" = [");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(fp ? String.format(Locale.ROOT, "%.6g", t.getDouble(i)) : Long.toString(t.getLong(i)));
            }
            return sb.append(']').toString();
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int nan = 0;
        for (int i = 0; i < n; i++) {
            double v = t.getDouble(i);
            if (Double.isNaN(v)) {
                nan++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        sb.append(String.format(Locale.ROOT, " min %.6g max %.6g mean %.6g", min, max, sum / Math.max(1, n - nan)));
        if (nan > 0) {
            sb.append(", ").append(nan).append(" NaN");
        }
        return sb.toString();
    }
}
