package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.quant.IntMatMul;
import dev.kiln.runtime.tensor.Tensor;

/** Operand widening for the integer matrix products. */
final class IntMatMulSupport {
    private IntMatMulSupport() {
    }

    /** An int8 or int16 tensor's values as ints. */
    static int[] values(Tensor t) {
        return IntMatMul.widen(IntegerSupport.bytesOrNull(t), IntegerSupport.shortsOrNull(t), 0, t.size());
    }
}
