package dev.kiln.core.testing;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/** Named comparison tolerances and the comparison itself, with a message naming the first mismatch. */
public final class Tolerance {
    /** The ONNX backend suite's own tolerance. */
    public static final Tolerance BACKEND_SUITE = new Tolerance(1e-3, 1e-7);
    /** A float graph before and after an optimization pass (SPEC section 6). */
    public static final Tolerance PASS_EQUIVALENCE = new Tolerance(1e-4, 1e-5);
    /** Kiln vs ONNX Runtime on float models: |diff| <= 1e-4 * max(1, max|reference|). */
    public static final double ORACLE_RELATIVE_TO_RANGE = 1e-4;

    private final double rtol;
    private final double atol;

    public Tolerance(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
    }

    /** Null when actual matches expected (type, shape, values), else a description of the first difference. */
    public String mismatch(Tensor expected, Tensor actual) {
        if (expected.dtype() != actual.dtype()) {
            return "element type " + actual.dtype() + ", expected " + expected.dtype();
        }
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            return "shape " + Shapes.toString(actual.shape()) + ", expected " + Shapes.toString(expected.shape());
        }
        int bad = 0;
        String first = null;
        for (int i = 0; i < expected.size(); i++) {
            if (expected.dtype().isFloatingPoint()) {
                double e = expected.getDouble(i);
                double a = actual.getDouble(i);
                boolean ok;
                if (Double.isNaN(e) || Double.isNaN(a)) {
                    ok = Double.isNaN(e) && Double.isNaN(a);
                } else if (Double.isInfinite(e) || Double.isInfinite(a)) {
                    ok = e == a;
                } else {
                    ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
                }
                if (!ok) {
                    bad++;
                    if (first == null) {
                        first = "element " + i + ": " + a + ", expected " + e;
                    }
                }
            } else if (expected.getLong(i) != actual.getLong(i)) {
                bad++;
                if (first == null) {
                    first = "element " + i + ": " + actual.getLong(i) + ", expected " + expected.getLong(i);
                }
            }
        }
        return bad == 0 ? null : bad + " of " + expected.size() + " elements differ; first at " + first;
    }

    /**
     * Max |a - r| / max(1, max |r|) over the finite elements: the float oracle measure. NaN and
     * infinities must sit at the same places in both (else the result is infinite).
     */
    public static double rangeRelativeError(Tensor reference, Tensor actual) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < reference.size(); i++) {
            double r = reference.getDouble(i);
            double a = actual.getDouble(i);
            if (Double.isNaN(r) || Double.isNaN(a) || Double.isInfinite(r) || Double.isInfinite(a)) {
                if (Double.compare(r, a) != 0 && !(Double.isNaN(r) && Double.isNaN(a))) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            maxRef = Math.max(maxRef, Math.abs(r));
            double d = Math.abs(a - r);
            maxDiff = Math.max(maxDiff, d);
        }
        return maxDiff / Math.max(1.0, maxRef);
    }
}
