package dev.kiln.core.compile;

import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.pipeline.Makertbin;
import dev.kiln.core.pipeline.RunLog;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import dev.kiln.runtime.image.Nv12;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs of compiled models. An NV12 camera frame through the runtime equals the same frame, chroma-upsampled to YUV444 as
 * documented (each UV sample repeated over its 2x2 block, pixel - 128, NCHW), through the quantized
 * model: bit for bit, at every optimize level. With input_batch N the .bin takes N frames per call
 * and returns the N frames' outputs stacked, each equal to the quantized model's.
 */
class CompiledInputsTest {
    @TempDir
    Path dir;

    @Test
    void nv12ThroughTheRuntimeEqualsYuv444ThroughTheQuantizedModel() throws Exception {
        GraphBuilder b = new GraphBuilder("cam", 13);
        Value x = b.input("img", DType.FLOAT, 1, 3, 16, 24);
        Value c = b.op("Relu", b.op("Conv", List.of(x, b.weights("w", 0.2f, 8, 3, 3, 3), b.weights("b", 0.1f, 8)),
                ints("pads", 1, 1, 1, 1)));
        Value y = b.op("Gemm", List.of(b.op("Flatten", b.op("GlobalAveragePool", c)), b.weights("wf", 0.3f, 4, 8)),
                i("transB", 1));
        Model m = b.output(y).build();
        Path onnx = dir.resolve("cam.onnx");
        OnnxExporter.save(m, onnx);
        for (String level : List.of("O0", "O1", "O3")) {
            Path yaml = dir.resolve("cam-" + level + ".yaml");
            Files.writeString(yaml, String.join("\n",
                    "model_parameters:",
                    "  onnx_model: '" + onnx + "'",
                    "  march: 'generic'",
                    "  working_dir: '" + dir.resolve("out-" + level) + "'",
                    "  output_model_file_prefix: 'cam'",
                    "input_parameters:",
                    "  input_type_train: 'rgb'",
                    "  input_layout_train: 'NCHW'",
                    "  input_type_rt: 'nv12'",
                    "  norm_type: 'data_mean_and_scale'",
                    "  mean_value: 128 120 110",
                    "  scale_value: 0.017 0.018 0.019",
                    "calibration_parameters:",
                    "  calibration_type: 'skip'",
                    "compiler_parameters:",
                    "  optimize_level: '" + level + "'",
                    ""));
            Config cfg = Makertbin.loadConfig(yaml, ModelType.ONNX);
            Makertbin.Result r = Makertbin.run(cfg, RunLog.silent(), new Makertbin.Options(1, ProgressSink.NONE));
            LoadedModel lm = BinPackage.open(r.files().get("cam.bin")).load("cam", 2);
            IoDescriptor d = lm.inputs().get(0);
            assertEquals(IoDescriptor.TensorKind.NV12, d.type());
            Model q = OnnxImporter.load(r.files().get("cam_quantized_model.onnx"));
            Executor ex = new Executor(q, 1);
            SplittableRandom rnd = new SplittableRandom(7);
            for (int k = 0; k < 3; k++) {
                byte[] nv12 = new byte[16 * 24 * 3 / 2];
                rnd.nextBytes(nv12);
                Map<String, Output> got = lm.infer(Map.of("img", Input.bytes(nv12)));
                byte[] yy = new byte[16 * 24];
                byte[] uu = new byte[16 * 24];
                byte[] vv = new byte[16 * 24];
                Nv12.toYuv444(nv12, 16, 24, yy, uu, vv);
                byte[] planar = new byte[3 * 16 * 24];
                for (int p = 0; p < yy.length; p++) {
                    planar[p] = (byte) ((yy[p] & 0xff) - 128);
                    planar[yy.length + p] = (byte) ((uu[p] & 0xff) - 128);
                    planar[2 * yy.length + p] = (byte) ((vv[p] & 0xff) - 128);
                }
                Value in = q.graph().inputs().get(0);
                assertEquals(DType.INT8, in.type().dtype(), "the quantized model takes int8 YUV444");
                Tensor want = ex.run(Map.of(in.name(), Tensor.wrap(DType.INT8, new int[] {1, 3, 16, 24}, planar)))
                        .values().iterator().next();
                Tensor g = got.values().iterator().next().raw();
                assertEquals(want.dtype(), g.dtype());
                for (int e = 0; e < want.size(); e++) {
                    assertTrue(Float.floatToRawIntBits(want.getFloat(e)) == Float.floatToRawIntBits(g.getFloat(e)),
                            level + " frame " + k + " element " + e + ": " + want.getFloat(e) + " vs " + g.getFloat(e));
                }
            }
        }
    }

    @Test
    void inputBatchTakesSeveralFramesPerCall() throws Exception {
        GraphBuilder b = new GraphBuilder("fm", 13);
        Value x = b.input("x", DType.FLOAT, 1, 4, 6, 6);
        Value c = b.op("Relu", b.op("Conv", List.of(x, b.weights("w", 0.3f, 5, 4, 3, 3)), ints("pads", 1, 1, 1, 1)));
        Model m = b.output(c).build();
        Path onnx = dir.resolve("fm.onnx");
        OnnxExporter.save(m, onnx);
        Path yaml = dir.resolve("fm.yaml");
        Files.writeString(yaml, String.join("\n",
                "model_parameters:",
                "  onnx_model: '" + onnx + "'",
                "  march: 'generic'",
                "  working_dir: '" + dir.resolve("out-fm") + "'",
                "  output_model_file_prefix: 'fm'",
                "input_parameters:",
                "  input_type_train: 'featuremap'",
                "  input_type_rt: 'featuremap'",
                "  input_shape: '1x4x6x6'",
                "  input_batch: 3",
                "  norm_type: 'no_preprocess'",
                "calibration_parameters:",
                "  calibration_type: 'skip'",
                "compiler_parameters:",
                "  optimize_level: 'O2'",
                ""));
        Makertbin.Result r = Makertbin.run(Makertbin.loadConfig(yaml, ModelType.ONNX), RunLog.silent(),
                new Makertbin.Options(1, ProgressSink.NONE));
        LoadedModel lm = BinPackage.open(r.files().get("fm.bin")).load("fm", 1);
        assertEquals(3, lm.batch());
        assertEquals(3, lm.inputs().get(0).validShape()[0]);
        assertEquals(3L * 4 * 6 * 6 * 4, lm.inputs().get(0).byteSize());
        Model q = OnnxImporter.load(r.files().get("fm_quantized_model.onnx"));
        Executor ex = new Executor(q, 1);
        float[] all = new float[3 * 4 * 6 * 6];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) rnd.nextGaussian();
        }
        Tensor got = lm.infer(Map.of("x", Input.floats(all))).get(lm.outputs().get(0).name()).raw();
        assertEquals(3, got.dim(0));
        int per = got.size() / 3;
        for (int f = 0; f < 3; f++) {
            float[] one = java.util.Arrays.copyOfRange(all, f * 144, (f + 1) * 144);
            Tensor want = ex.run(Map.of("x", Tensor.of(one, 1, 4, 6, 6))).values().iterator().next();
            for (int e = 0; e < per; e++) {
                assertEquals(Float.floatToRawIntBits(want.getFloat(e)), Float.floatToRawIntBits(got.getFloat(f * per + e)),
                        "frame " + f + " element " + e);
            }
        }
        dev.kiln.runtime.KilnRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.kiln.runtime.KilnRuntimeException.class, () -> lm.infer(Map.of("x", Input.floats(new float[144]))));
        assertTrue(e.getMessage().contains("432") && e.getMessage().contains("144"), e.getMessage());
    }
}
