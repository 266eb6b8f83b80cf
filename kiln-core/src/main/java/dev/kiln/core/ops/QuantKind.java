package dev.kiln.core.ops;

/** How an operator takes part in int8 quantization (see SPEC section 8). */
public enum QuantKind {
    /** int8 inputs, int32 accumulation, requantized int8 output (Conv, Gemm, MatMul). */
    COMPUTE,
    /** Output has the input's scale; moves or selects values without arithmetic (Reshape, MaxPool). */
    PASS_THROUGH,
    /** A 256-entry table maps each int8 input to an int8 output (Sigmoid, Tanh). */
    LUT,
    /** Integer arithmetic with its own rescaling (Add, Mul, AveragePool, Resize, Concat). */
    ELEMENTWISE,
    /** Runs in float only. */
    FLOAT_ONLY
}
