package dev.kiln.runtime.ops;

/**
 * Builds the kernels of one operator. The toolchain's operator class and the runtime of compiled
 * models both call it, so a model computes the same bits in either. Attributes, constant inputs and
 * static shapes come from the {@link KernelContext}; integer kernels also get the quantization
 * parameters of SPEC section 8.
 */
public interface KernelFactory {
    /** The ONNX op type, e.g. "Conv". */
    String opType();

    /** The operator's stable code in compiled models (append-only, never reused). */
    int opcode();

    /** The float reference kernel (all element types the operator accepts). */
    Kernel prepare(KernelContext ctx);

    /**
     * The integer kernel reading int8/int16 activations with the given scales, or null when this
     * node has none (it then runs its float kernel between dequantization and quantization).
     */
    default Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        return null;
    }
}
