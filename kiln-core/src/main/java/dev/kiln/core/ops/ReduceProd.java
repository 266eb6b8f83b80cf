package dev.kiln.core.ops;

/** ReduceProd: the product over the given axes (all axes by default). */
public final class ReduceProd extends ReduceOp {
    @Override
    public int opcode() {
        return 85;
    }

    @Override
    Kind kind() {
        return Kind.PROD;
    }
}
