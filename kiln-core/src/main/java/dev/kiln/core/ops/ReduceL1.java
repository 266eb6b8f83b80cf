package dev.kiln.core.ops;

/** ReduceL1: the sum of absolute values over the given axes (all axes by default). */
public final class ReduceL1 extends ReduceOp {
    @Override
    public int opcode() {
        return 86;
    }

    @Override
    Kind kind() {
        return Kind.L1;
    }
}
