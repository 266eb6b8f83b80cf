package dev.kiln.core.ops;

/** ReduceMin: the minimum (NaN only when it comes first, like ONNX Runtime) over the given axes (all axes by default). */
public final class ReduceMin extends ReduceOp {
    @Override
    public int opcode() {
        return 83;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    Kind kind() {
        return Kind.MIN;
    }
}
