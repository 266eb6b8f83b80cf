package dev.kiln.core.ops;

import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.ops.KernelTable;

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

    /**
     * Stable code identifying this op in the .bin; append-only, never reused. Operators whose
     * kernels live in the runtime take it from their {@link KernelFactory}.
     */
    public int opcode() {
        KernelFactory f = kernels();
        if (f == null) {
            throw new IllegalStateException(type() + " has neither a runtime kernel nor its own opcode");
        }
        return f.opcode();
    }

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

    /**
     * The runtime's kernel factory of this operator (the kernels compiled models run), or null while
     * its kernel lives only here, in {@link #prepare}.
     */
    public KernelFactory kernels() {
        return domain().isEmpty() ? KernelTable.find(type()) : null;
    }

    /** Builds the node's kernel; called once per executor, before any run. */
    public Kernel prepare(OpContext ctx) {
        KernelFactory f = kernels();
        if (f == null) {
            throw ctx.error("no kernel for " + type());
        }
        return f.prepare(ctx);
    }

    /**
     * The node's integer kernel (SPEC section 8) reading quantized activations with the scales in
     * {@code q}, or null when it has none and runs its float kernel between DequantizeLinear and
     * QuantizeLinear.
     */
    public Kernel prepareInteger(OpContext ctx, IntegerParams q) {
        KernelFactory f = kernels();
        return f == null ? null : f.prepareInteger(ctx, q);
    }
}
