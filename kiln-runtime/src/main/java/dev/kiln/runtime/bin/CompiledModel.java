package dev.kiln.runtime.bin;

import java.util.List;
import java.util.Map;

/**
 * One model of a .bin: its program (tensors and instructions in execution order), the descriptors
 * of its inputs and outputs, integer subgraphs, memory plan, the configuration that built it, build
 * options, deleted-node records, and optional per-node costs (debug) and convolution dump map
 * (layer_out_dump: node name to the tensor holding its output).
 */
public record CompiledModel(String name, String config, Map<String, String> build, List<TensorInfo> tensors,
                            List<Instruction> instructions, List<IoDescriptor> inputs, List<IoDescriptor> outputs,
                            List<SubgraphInfo> subgraphs, MemoryPlan plan, List<DeletedNode> deleted,
                            List<NodeCost> profile, Map<String, Integer> dumpMap) {
    public IoDescriptor input(String name) {
        for (IoDescriptor d : inputs) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public IoDescriptor output(String name) {
        for (IoDescriptor d : outputs) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
