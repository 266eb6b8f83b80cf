package dev.kiln.runtime.bin;

/**
 * One kernel call of a compiled model.
 *
 * @param name     the node's name (the first node of a fused chain)
 * @param opType   the ONNX op type whose kernel runs
 * @param opcode   the operator's stable code
 * @param opset    the opset version in force for the node
 * @param label    what the call computes, e.g. "int Conv+Relu" or "Softmax"
 * @param subgraph the integer subgraph ("BPU", id(k)) it belongs to, or -1 for a CPU node
 * @param inputs   tensor indices of the kernel's inputs, -1 for omitted ones
 * @param outputs  tensor indices of its outputs, -1 for omitted ones
 * @param integer  the quantization parameters of an integer kernel, or null for a float kernel
 * @param variant  the kernel variant chosen at compile time (O3), or null for the default choice
 * @param nodes    the source model nodes this call computes (fused chains list several)
 * @param view     how the kernel factory saw each input of the node (types, shapes, known values)
 */
public record Instruction(String name, String opType, int opcode, int opset, String label, int subgraph,
                          int[] inputs, int[] outputs, Attrs attrs, IntegerSpec integer, String variant,
                          java.util.List<String> nodes,
                          java.util.List<KernelInput> view) {
    public boolean isInteger() {
        return integer != null;
    }
}
