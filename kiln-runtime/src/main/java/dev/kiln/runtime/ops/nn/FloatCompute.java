package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Float-type handling shared by the kernels that compute in float32 only (Conv, Gemm, MatMul...):
 * float16/bfloat16/double inputs are widened or narrowed to float32, and the result is stored back
 * in the input's type.
 */
final class FloatCompute {
    private FloatCompute() {
    }

    /** The tensor as float32 (itself when it already is). */
    static Tensor toFloat(Tensor t) {
        return t == null || t.dtype() == DType.FLOAT ? t : t.castTo(DType.FLOAT);
    }

    /** A float32 result stored in the given element type. */
    static Tensor toType(Tensor f, DType t) {
        return t == DType.FLOAT ? f : f.castTo(t);
    }

    static boolean isFloatType(DType t) {
        return t == DType.FLOAT || t == DType.FLOAT16 || t == DType.BFLOAT16 || t == DType.DOUBLE;
    }
}
