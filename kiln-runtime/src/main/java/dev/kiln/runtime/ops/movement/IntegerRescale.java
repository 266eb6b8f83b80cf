package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Brings quantized inputs to the output's scale so that an operator that only moves values
 * (Concat) can run its ordinary kernel on the integers: {@code roundClamp((float) q * (s_in / s_out))}.
 */
final class IntegerRescale {
    private IntegerRescale() {
    }

    /** The tensor in the output scale and type (itself when nothing changes). */
    static Tensor rescale(Tensor q, float sIn, float sOut, DType outType) {
        if (sIn == sOut && q.dtype() == outType) {
            return q;
        }
        float m = sIn / sOut;
        int lo = outType == DType.INT8 ? QuantMath.INT8_MIN : QuantMath.INT16_MIN;
        int hi = outType == DType.INT8 ? QuantMath.INT8_MAX : QuantMath.INT16_MAX;
        Tensor out = Tensor.allocateForOverwrite(outType, q.shape());
        for (int i = 0; i < q.size(); i++) {
            IntegerSupport.set(out, i, QuantMath.roundClamp((float) IntegerSupport.get(q, i) * m, lo, hi));
        }
        return out;
    }
}
