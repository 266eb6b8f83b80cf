package dev.kiln.core.testing;

import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Compares Kiln's outputs with ONNX Runtime's: same names, types and shapes, values within the oracle tolerance. */
public final class OracleCheck {
    private OracleCheck() {
    }

    /** Asserts |kiln - ort| <= 1e-4 * max(1, max |ort|) per output; returns the worst relative error. */
    public static double assertAgrees(String what, Map<String, Tensor> ort, Map<String, Tensor> kiln) {
        assertEquals(ort.keySet(), kiln.keySet(), what + ": output names");
        double worst = 0;
        for (String name : ort.keySet()) {
            Tensor r = ort.get(name);
            Tensor k = kiln.get(name);
            assertEquals(r.dtype(), k.dtype(), what + ": type of output " + name);
            if (!Arrays.equals(r.shape(), k.shape())) {
                fail(what + ": output " + name + " has shape " + Arrays.toString(k.shape()) + ", ONNX Runtime gives "
                        + Arrays.toString(r.shape()));
            }
            if (!r.dtype().isFloatingPoint()) {
                String m = new Tolerance(0, 0).mismatch(r, k);
                assertTrue(m == null, what + ": output " + name + ": " + m);
                continue;
            }
            double err = Tolerance.rangeRelativeError(r, k);
            worst = Math.max(worst, err);
            assertTrue(err <= Tolerance.ORACLE_RELATIVE_TO_RANGE, what + ": output " + name + " differs from ONNX Runtime by "
                    + err + " of its range (limit " + Tolerance.ORACLE_RELATIVE_TO_RANGE + ")");
        }
        return worst;
    }
}
