package dev.kiln.core.ops;

/** ReduceL2: the square root of the sum of squares over the given axes (all axes by default). */
public final class ReduceL2 extends ReduceOp {
    @Override
    public int opcode() {
        return 87;
    }

    @Override
    Kind kind() {
        return Kind.L2;
    }
}
