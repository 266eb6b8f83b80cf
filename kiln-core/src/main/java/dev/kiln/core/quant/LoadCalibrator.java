package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Map;

/**
 * calibration_type load: thresholds taken from the QuantizeLinear / DequantizeLinear nodes already
 * in the model (quantization-aware training), without data.
 *
 * <p>For each QuantizeLinear on an activation (its input not a constant), the threshold is the
 * largest magnitude of the symmetric range covering its integer grid: with scale s, zero point z
 * and integer range [qmin, qmax], {@code threshold = s · max(qmax − z, z − qmin − 1)} (127·s for
 * int8 with z = 0 and for uint8 with z = 128; 255·s for uint8 with z = 0). Per-axis scales take the
 * largest channel. The threshold is written for the QuantizeLinear's input and for the output of
 * every DequantizeLinear reading it; a DequantizeLinear on a non-constant integer tensor (not from
 * a QuantizeLinear of the model) gives its output a threshold the same way. Weights (constant
 * inputs) are skipped: the quantizer handles them. Min and max are the grid's range.
 */
public final class LoadCalibrator {
    private LoadCalibrator() {
    }

    public static CalibrationTable calibrate(Model model) {
        Map<Value, Tensor> constants = TypeInference.run(model);
        CalibrationTable table = new CalibrationTable("load", true);
        for (Node n : model.graph().nodes()) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                continue;
            }
            if (n.opType().equals("QuantizeLinear")) {
                Value x = n.input(0);
                if (isConstant(x, constants)) {
                    continue;
                }
                float[] range = range(n, constants, outputType(n, constants));
                put(table, x.name(), range);
                for (Node dq : n.output(0).consumers()) {
                    if (dq.opType().equals("DequantizeLinear")) {
                        put(table, dq.output(0).name(), range);
                    }
                }
            } else if (n.opType().equals("DequantizeLinear")) {
                Value q = n.input(0);
                boolean fromQ = q.producer() != null && q.producer().opType().equals("QuantizeLinear");
                if (!fromQ && !isConstant(q, constants)) {
                    DType t = q.type() == null ? null : q.type().dtype();
                    put(table, n.output(0).name(), range(n, constants, t == null ? DType.UINT8 : t));
                }
            }
        }
        if (table.entries().isEmpty()) {
            throw new KilnException("calibration_type load: the model has no QuantizeLinear or DequantizeLinear node on"
                    + " an activation to take thresholds from (load is for quantization-aware trained models;"
                    + " use default, kl or max with calibration data)");
        }
        return table;
    }

    private static void put(CalibrationTable table, String tensor, float[] range) {
        float threshold = ThresholdCalibrator.positive(range[2]);
        table.put(new CalibrationTable.Entry(tensor, range[0], range[1], threshold, "load"));
    }

    private static boolean isConstant(Value v, Map<Value, Tensor> constants) {
        return v.isConstant() || constants.containsKey(v);
    }

    /** The output integer type of a QuantizeLinear: its zero point's, else output_dtype, else uint8. */
    private static DType outputType(Node n, Map<Value, Tensor> constants) {
        if (n.hasInput(2)) {
            Tensor zp = constants.get(n.input(2));
            if (zp != null) {
                return zp.dtype();
            }
        }
        long code = n.attrs().getInt("output_dtype", 0);
        DType t = code != 0 ? DType.fromOnnx((int) code) : null;
        return t != null ? t : DType.UINT8;
    }

    /** {min, max, threshold} of a Q or DQ node's grid. */
    private static float[] range(Node n, Map<Value, Tensor> constants, DType type) {
        Tensor scale = constants.get(n.input(1));
        if (scale == null) {
            throw new KilnException("calibration_type load: " + n.opType() + " '" + n.name() + "' has a scale ('"
                    + n.input(1).name() + "') that is not a constant");
        }
        Tensor zp = n.hasInput(2) ? constants.get(n.input(2)) : null;
        if (n.hasInput(2) && zp == null) {
            throw new KilnException("calibration_type load: " + n.opType() + " '" + n.name() + "' has a zero point ('"
                    + n.input(2).name() + "') that is not a constant");
        }
        long qmin;
        long qmax;
        switch (type) {
            case INT8: qmin = -128; qmax = 127; break;
            case UINT8: qmin = 0; qmax = 255; break;
            case INT16: qmin = -32768; qmax = 32767; break;
            case UINT16: qmin = 0; qmax = 65535; break;
            default:
                throw new KilnException("calibration_type load: " + n.opType() + " '" + n.name() + "' quantizes to "
                        + type.displayName() + "; only int8, uint8, int16 and uint16 are supported");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double threshold = 0;
        for (int c = 0; c < scale.size(); c++) {
            double s = Math.abs(scale.getDouble(c));
            long z = zp == null ? 0 : zp.getLong(zp.size() == scale.size() ? c : 0);
            lo = Math.min(lo, s * (qmin - z));
            hi = Math.max(hi, s * (qmax - z));
            threshold = Math.max(threshold, s * Math.max(qmax - z, z - qmin - 1));
        }
        return new float[] {(float) lo, (float) hi, (float) threshold};
    }
}
