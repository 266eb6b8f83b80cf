package dev.kiln.core.exec;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.ops.IntegerParams;

import java.util.List;

/**
 * One step of what an {@link Executor} runs for a plain run of the main graph, as the compiler
 * reads it: the node whose kernel runs, its opset, the integer parameters of an integer kernel
 * (null for a float kernel), the values read and written, and the other source nodes the step
 * computes (absorbed quantization nodes and activations).
 */
public record ProgramStep(Node node, String label, int opset, IntegerParams integer, List<Value> inputs,
                          List<Value> outputs, List<Node> absorbed) {
}
