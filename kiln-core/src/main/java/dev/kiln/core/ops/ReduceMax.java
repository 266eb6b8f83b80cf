package dev.kiln.core.ops;

/** ReduceMax: the maximum (NaN only when it comes first, like ONNX Runtime) over the given axes (all axes by default). */
public final class ReduceMax extends ReduceOp {
    @Override
    public int opcode() {
        return 82;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.PASS_THROUGH;
    }

    @Override
    Kind kind() {
        return Kind.MAX;
    }
}
