package dev.kiln.core.ops;

/** ReduceSum: the sum over the given axes (all axes by default). */
public final class ReduceSum extends ReduceOp {
    @Override
    public int opcode() {
        return 84;
    }

    @Override
    int axesInputOpset() {
        return 13;
    }

    @Override
    Kind kind() {
        return Kind.SUM;
    }
}
