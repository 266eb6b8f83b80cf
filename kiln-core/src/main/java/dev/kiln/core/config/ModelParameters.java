package dev.kiln.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model_parameters group.
 *
 * @param onnxModel   onnx_model (null for Caffe)
 * @param prototxt    prototxt (null for ONNX)
 * @param caffeModel  caffe_model (null for ONNX)
 * @param workingDir  working_dir, default model_output
 * @param outputNodes output_nodes: these become the model outputs (empty: the model's own)
 * @param debugModes  debug_mode values (dump_calibration_data)
 * @param nodeInfo    node_info by node name
 */
public record ModelParameters(Path onnxModel, Path prototxt, Path caffeModel, March march, String outputModelFilePrefix,
                              Path workingDir, boolean layerOutDump, List<String> outputNodes, List<String> removeNodeType,
                              List<String> removeNodeName, Set<DebugMode> debugModes, Map<String, NodeInfo> nodeInfo) {
    /** debug_mode values. */
    public enum DebugMode {
        DUMP_CALIBRATION_DATA
    }

    /** Where a node runs. */
    public enum Placement {
        BPU, CPU
    }

    /** Integer width of a node's inputs or outputs. */
    public enum QuantType {
        INT8, INT16
    }

    /** One node_info entry; each field may be null (not given). */
    public record NodeInfo(Placement on, QuantType inputType, QuantType outputType) {
    }
}
