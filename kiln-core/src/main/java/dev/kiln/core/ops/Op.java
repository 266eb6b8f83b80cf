package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

/**
 * One ONNX operator: its shape and type inference, its float reference kernel, and (for later
 * stages) its quantization kind and stable opcode. Subclasses are named exactly as the ONNX op
 * type and registered in {@link OpRegistry}.
 */
public abstract class Op {
    /** The ONNX op type, e.g. "Conv". Defaults to the class's simple name. */
    public String type() {
        return getClass().getSimpleName();
    }

    /** The operator domain; "" is the default ONNX domain. */
    public String domain() {
        return "";
    }

    /** Stable code identifying this op in the .bin; append-only, never reused. */
    public abstract int opcode();

    public QuantKind quantKind() {
        return QuantKind.FLOAT_ONLY;
    }

    /**
     * The quantization kind of this particular node (a binary op with a constant scalar operand is a
     * one-input function, hence a lookup table); the op's kind by default.
     */
    public QuantKind quantKind(dev.kiln.core.ir.Node node) {
        return quantKind();
    }

    /** Oldest and newest opset versions whose semantics this class implements. */
    public int minOpset() {
        return 1;
    }

    public int maxOpset() {
        return 21;
    }

    /**
     * Infers output types from input types (and constant inputs when the op needs their values,
     * e.g. Reshape's shape). Leaves dimensions unknown rather than guessing.
     */
    public abstract void infer(OpContext ctx);

    /** Builds the node's kernel; called once per executor, before any run. */
    public abstract Kernel prepare(OpContext ctx);
}
