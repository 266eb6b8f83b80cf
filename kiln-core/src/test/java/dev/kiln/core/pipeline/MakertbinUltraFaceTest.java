package dev.kiln.core.pipeline;

import dev.kiln.core.compile.BinChecks;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.report.NodeReport;
import dev.kiln.core.report.Similarity;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * makertbin end to end on the real UltraFace detectors calibrated with the face photos (default
 * calibration): all four artefacts run in ONNX Runtime; the output cosine with the float model is
 * >= 0.99 (the report tells the truth: recomputed here); Kiln's integer execution of the quantized
 * model agrees with ONNX Runtime's within one step on >= 99.9 % of the elements of its int8 tensors
 * (every quantized tensor, outputs included; float outputs computed on the CPU after them follow);
 * the .bin gives the quantized model's outputs bit for bit.
 */
class MakertbinUltraFaceTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> ultraFaceConverts() throws IOException {
        Path models = TestData.require("models/ultraface/onnx");
        Path faces = TestData.require("images/faces");
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("version-RFB-320", "version-slim-320")) {
            tests.add(DynamicTest.dynamicTest(name, () -> convert(models.resolve(name + "_without_postprocessing.onnx"),
                    faces, name)));
        }
        return tests.stream();
    }

    private void convert(Path model, Path faces, String name) throws Exception {
        Path cal = UltraFaceConfigs.faces(dir, name + "_cal", 12);
        // generic: every node with an integer kernel is integer, so the comparison below measures the
        // integer arithmetic; bernoulli2 would put RFB's dilation-3/5 convolutions on the float CPU
        // path, whose rounding against ONNX Runtime's float Conv then propagates through the int8 layers
        Path yaml = UltraFaceConfigs.write(dir, name, "  onnx_model: '" + model + "'", "generic", "rgb NCHW", cal, "default");
        Config cfg = Makertbin.loadConfig(yaml, ModelType.ONNX);
        Makertbin.Result r = Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(2, ProgressSink.NONE));
        assertEquals(6, r.files().size(), "four models, the calibration table and the .bin: " + r.files().keySet());

        // the sample the report used: the first calibration image, as the model's int8 input
        Map<String, Tensor> sample = r.reportSample();
        // the .bin computes what Kiln's execution of the quantized model computes, bit for bit: the
        // written file, and every optimize level and compile mode with 1 and 2 threads
        Model qm = OnnxImporter.load(r.files().get(name + "_quantized_model.onnx"));
        LoadedModel lm = BinPackage.open(r.files().get(name + ".bin")).load(name, 2);
        BinChecks.assertSame(new Executor(qm).run(sample), lm.runProgram(sample, null), name + ".bin");
        BinChecks.assertEveryVariantMatches(qm, List.of(sample), name);
        for (Path f : r.files().values()) {
            if (f.toString().endsWith(".onnx")) {
                Map<String, Tensor> ort = OrtOracle.run(f, sample);
                assertTrue(!ort.isEmpty(), f + " runs in ONNX Runtime");
            }
        }
        Model quantized = OnnxImporter.load(r.files().get(name + "_quantized_model.onnx"));
        Map<String, Tensor> kiln = new Executor(quantized).run(sample);
        Map<String, Tensor> ort = OrtOracle.run(r.files().get(name + "_quantized_model.onnx"), sample);
        Map<String, Tensor> ref = new Executor(r.optimized()).run(sample);
        for (NodeReport.OutputRow row : r.report().outputs()) {
            String out = row.output();
            double cos = Similarity.cosine(ref.get(out), kiln.get(out));
            assertEquals(cos, row.distances().cosine(), 1e-9, "the report's cosine for " + out + " is the real one");
            assertTrue(cos >= 0.99, name + " output " + out + " cosine " + cos);
        }
        // the integer model's outputs: its int8 tensors that are model outputs or read by the CPU nodes
        // that compute the outputs (made graph outputs) within one step of ONNX Runtime's
        Model probe = OnnxImporter.load(r.files().get(name + "_quantized_model.onnx"));
        List<String> outputs = new ArrayList<>();
        for (Map.Entry<String, String> e : r.quantized().quantizedNames().entrySet()) {
            dev.kiln.core.ir.Value v = r.optimized().graph().lookup(e.getKey());
            boolean boundary = v.isGraphOutput();
            for (dev.kiln.core.ir.Value.Use u : v.uses()) {
                boundary |= r.plan().placement(u.node()) == dev.kiln.core.quant.QuantPlan.Placement.CPU;
            }
            if (boundary) {
                outputs.add(e.getValue());
                probe.graph().addOutput(probe.graph().lookup(e.getValue()));
            }
        }
        assertTrue(!outputs.isEmpty(), "the integer part has outputs");
        Map<String, Tensor> kq = new Executor(probe).run(sample);
        Map<String, Tensor> oq = OrtOracle.run(probe, sample);
        long total = 0;
        long off = 0;
        for (String qn : outputs) {
            Tensor k = kq.get(qn);
            Tensor o = oq.get(qn);
            for (int i = 0; i < k.size(); i++) {
                off += Math.abs(k.getLong(i) - o.getLong(i)) > 1 ? 1 : 0;
            }
            total += k.size();
        }
        assertTrue(off * 1000L <= total, name + ": " + off + " of " + total
                + " int8 elements more than one step from ONNX Runtime");
    }

}
