package dev.kiln.core.ops;

/** LogSoftmax: x - max - log(sum(exp(x - max))) along an axis (see {@link SoftmaxOp} for the opset-dependent axis rules). */
public final class LogSoftmax extends SoftmaxOp {
    @Override
    public int opcode() {
        return 60;
    }

    @Override
    Mode mode() {
        return Mode.LOG_SOFTMAX;
    }
}
