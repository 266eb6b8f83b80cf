package dev.kiln.core.ops;

/** ReduceLogSum: log(sum(x)) over the given axes (all axes by default). */
public final class ReduceLogSum extends ReduceOp {
    @Override
    public int opcode() {
        return 144;
    }

    @Override
    Kind kind() {
        return Kind.LOG_SUM;
    }
}
