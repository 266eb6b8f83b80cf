package dev.kiln.core.ops;

/** Softmax: exp(x - max) / sum(exp(x - max)) along an axis (see {@link SoftmaxOp} for the opset-dependent axis rules). */
public final class Softmax extends SoftmaxOp {
    @Override
    public int opcode() {
        return 59;
    }

    @Override
    Mode mode() {
        return Mode.SOFTMAX;
    }
}
