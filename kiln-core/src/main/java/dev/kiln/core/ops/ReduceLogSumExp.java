package dev.kiln.core.ops;

/** ReduceLogSumExp: log(sum(exp(x))), computed stably around the maximum over the given axes (all axes by default). */
public final class ReduceLogSumExp extends ReduceOp {
    @Override
    public int opcode() {
        return 88;
    }

    @Override
    Kind kind() {
        return Kind.LOG_SUM_EXP;
    }
}
