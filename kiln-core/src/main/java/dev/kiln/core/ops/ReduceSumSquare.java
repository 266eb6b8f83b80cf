package dev.kiln.core.ops;

/** ReduceSumSquare: the sum of squares over the given axes (all axes by default). */
public final class ReduceSumSquare extends ReduceOp {
    @Override
    public int opcode() {
        return 89;
    }

    @Override
    Kind kind() {
        return Kind.SUM_SQUARE;
    }
}
