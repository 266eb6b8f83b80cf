package dev.kiln.runtime.bin;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * One tensor of a compiled model: name, element type, static shape, quantization (null: none),
 * and its value when it is a constant (weights, biases, shapes), else null.
 */
public record TensorInfo(String name, DType dtype, int[] shape, Quant quant, Tensor value) {
    public boolean isConstant() {
        return value != null;
    }

    public long byteSize() {
        long n = dtype.byteSize();
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
