package dev.kiln.core.ir;

import dev.kiln.runtime.tensor.Tensor;

/**
 * A constant tensor held by the IR (an initializer, a Constant's value, a tensor attribute). The
 * wrapped tensor is never modified; passes that change weights make a new ConstTensor.
 */
public final class ConstTensor {
    private final Tensor tensor;

    public ConstTensor(Tensor tensor) {
        this.tensor = tensor;
    }

    public Tensor tensor() {
        return tensor;
    }

    public TensorType type() {
        return TensorType.of(tensor.dtype(), tensor.shape());
    }

    @Override
    public String toString() {
        return "const " + tensor;
    }
}
