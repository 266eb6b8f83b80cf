package dev.kiln.core.ops;

/** Hardmax: 1 at the first maximum, 0 elsewhere along an axis (see {@link SoftmaxOp} for the opset-dependent axis rules). */
public final class Hardmax extends SoftmaxOp {
    @Override
    public int opcode() {
        return 61;
    }

    @Override
    Mode mode() {
        return Mode.HARDMAX;
    }
}
