package dev.kiln.core.ops;

/** ArgMin: index of the minimum along an axis, as int64. */
public final class ArgMin extends ArgOp {
    @Override
    public int opcode() {
        return 91;
    }

    @Override
    boolean max() {
        return false;
    }
}
