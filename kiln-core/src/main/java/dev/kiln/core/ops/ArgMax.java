package dev.kiln.core.ops;

/** ArgMax: index of the maximum along an axis, as int64. */
public final class ArgMax extends ArgOp {
    @Override
    public int opcode() {
        return 90;
    }

    @Override
    boolean max() {
        return true;
    }
}
