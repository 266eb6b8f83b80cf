package dev.kiln.core.exec;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;

import java.util.List;

/**
 * One scheduled kernel call: usually one node, or a fused chain (Conv -> Add -> Relu) run by the
 * head node's fused kernel, reading the chain's outside inputs and producing its last output.
 *
 * @param node     the node named in error messages (the chain's head)
 * @param label    what the step computes, for messages ("Conv" or "Conv+Add+Relu")
 * @param inputs   the kernel's inputs, null for omitted optional ones
 * @param outputs  the values the kernel's outputs become, null for omitted ones
 * @param implicitInputs values of enclosing scopes read by the node's subgraphs
 * @param integer  the quantization parameters of an integer kernel (quantized models), else null
 * @param absorbed nodes of the source graph this step also computes (quantization nodes, fused activations)
 */
record Step(Node node, String label, Kernel kernel, List<Value> inputs, List<Value> outputs, List<Value> implicitInputs,
            IntegerParams integer, List<Node> absorbed) {
    Step(Node node, String label, Kernel kernel, List<Value> inputs, List<Value> outputs, List<Value> implicitInputs) {
        this(node, label, kernel, inputs, outputs, implicitInputs, null, List.of());
    }

    static Step of(Node n, Kernel k) {
        return new Step(n, n.opType(), k, n.inputs(), n.outputs(), n.implicitInputs());
    }
}
