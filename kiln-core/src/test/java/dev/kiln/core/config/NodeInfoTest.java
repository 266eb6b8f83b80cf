package dev.kiln.core.config;

import dev.kiln.core.config.ModelParameters.NodeInfo;
import dev.kiln.core.config.ModelParameters.Placement;
import dev.kiln.core.config.ModelParameters.QuantType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** node_info in the shapes real configurations write it, and its checks. */
class NodeInfoTest {
    private static final String M = "model_parameters";
    private static final NodeInfo INT16_ON_BPU = new NodeInfo(Placement.BPU, QuantType.INT16, QuantType.INT16);

    @TempDir
    Path tmp;
    ConfigFixture f;

    @BeforeEach
    void fixture() {
        f = new ConfigFixture(tmp);
    }

    private Map<String, NodeInfo> nodeInfo(String rawValue) {
        return f.set(M, "node_info", rawValue).load().model().nodeInfo();
    }

    @Test
    void flowStyleOnOneLine() {
        assertEquals(Map.of("/model.10/m/m.0/attn/Softmax", INT16_ON_BPU), nodeInfo(
                "{\"/model.10/m/m.0/attn/Softmax\": {'ON': 'BPU','InputType': 'int16','OutputType': 'int16'}}"));
    }

    @Test
    void flowStyleOverSeveralLinesWithATrailingComma() {
        assertEquals(Map.of("a", INT16_ON_BPU, "b", new NodeInfo(Placement.CPU, null, null)), nodeInfo("{\n"
                + "    \"a\": {\n      'ON': 'BPU',\n      'InputType': 'int16',\n      'OutputType': 'int16'\n    },\n"
                + "    \"b\": {'ON': 'CPU'},\n  }"));
    }

    @Test
    void emptyAndAbsent() {
        assertEquals(Map.of(), nodeInfo("{\n  }"));
        assertEquals(Map.of(), nodeInfo(""));
        assertEquals(Map.of(), f.remove(M, "node_info").load().model().nodeInfo());
    }

    @Test
    void blockStyleAndUnquotedKeys() {
        assertEquals(Map.of("conv1", new NodeInfo(null, QuantType.INT8, QuantType.INT16)),
                nodeInfo("\n    conv1:\n      InputType: int8\n      OutputType: INT16"));
    }

    @Test
    void shortStringForm() {
        assertEquals(Map.of("Conv_0", new NodeInfo(null, null, QuantType.INT16),
                "Conv_1", new NodeInfo(null, null, QuantType.INT8)), nodeInfo("'Conv_0:int16;Conv_1:int8'"));
    }

    @Test
    void nodeInfoOverridesTheDeprecatedSetNodeDataType() {
        f.set(M, "set_node_data_type", "'a:int8;b:int16'");
        Config c = f.set(M, "node_info", "{a: {'ON': 'CPU', 'OutputType': 'int16'}}").load();
        assertEquals(Map.of("a", new NodeInfo(Placement.CPU, null, QuantType.INT16),
                "b", new NodeInfo(null, null, QuantType.INT16)), c.model().nodeInfo());
        assertEquals(List.of("model_parameters.set_node_data_type: deprecated: use node_info (node_info takes precedence"
                + " where both name a node)"), c.warnings());
    }

    @Test
    void valuesAndKeysAreChecked() {
        f.set(M, "node_info", "{conv1: {'ON': 'GPU', 'InputType': 'int4', 'on': 'BPU', 'Output': 'int8'}}");
        assertEquals(List.of(
                "Key 'model_parameters' error:\n'node_info' of node 'conv1' key 'ON': 'GPU' is not one of 'BPU', 'CPU'",
                "Key 'model_parameters' error:\n'node_info' of node 'conv1' key 'InputType': 'int4' is not one of"
                        + " 'int8', 'int16' (did you mean 'int8'?)",
                "Key 'model_parameters' error:\n'node_info' of node 'conv1': wrong key 'on': did you mean 'ON'?",
                "Key 'model_parameters' error:\n'node_info' of node 'conv1': wrong key 'Output' (allowed keys: 'ON',"
                        + " 'InputType', 'OutputType')"), f.problems());
    }

    @Test
    void shapeErrors() {
        f.set(M, "node_info", "{conv1: BPU}");
        assertEquals(List.of("Key 'model_parameters' error:\n'node_info' of node 'conv1': expected a mapping like {'ON':"
                + " 'BPU', 'InputType': 'int16', 'OutputType': 'int16'}, found 'BPU'"), f.problems());
        f.set(M, "node_info", "'conv1=int16'");
        assertEquals(List.of("Key 'model_parameters' error:\n'node_info': 'conv1=int16' is not of the form"
                + " node_name:int16 (or use {node_name: {'OutputType': 'int16'}})"), f.problems());
        f.set(M, "node_info", "[conv1]");
        assertEquals(List.of("Key 'model_parameters' error:\n'node_info': expected a mapping {node_name: {'ON': 'BPU',"
                + " 'InputType': 'int16', 'OutputType': 'int16'}}, found a list"), f.problems());
    }

    @Test
    void nodeInfoWinsOverRunOnCpuWithAWarning() {
        f.set("calibration_parameters", "run_on_cpu", "conv1");
        Config c = f.set(M, "node_info", "{conv1: {'ON': 'BPU'}}").load();
        assertEquals(List.of("model_parameters.node_info: node 'conv1' is ON BPU but listed in run_on_cpu; node_info"
                + " wins"), c.warnings());
    }
}
