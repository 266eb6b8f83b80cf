package dev.kiln.core.ops;

/** ReduceMean: the arithmetic mean over the given axes (all axes by default). */
public final class ReduceMean extends ReduceOp {
    @Override
    public int opcode() {
        return 81;
    }

    @Override
    Kind kind() {
        return Kind.MEAN;
    }
}
