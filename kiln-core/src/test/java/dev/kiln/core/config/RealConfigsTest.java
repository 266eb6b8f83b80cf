package dev.kiln.core.config;

import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Optimization;
import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.core.config.CompilerParameters.InputSource;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import dev.kiln.core.config.ModelParameters.NodeInfo;
import dev.kiln.core.config.ModelParameters.Placement;
import dev.kiln.core.config.ModelParameters.QuantType;
import dev.kiln.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hb_mapper configurations in the shared test data (real ones from Horizon's model zoo). */
class RealConfigsTest {
    private static final String DIR = "horizon-configs";
    private static final NodeInfo INT16_ON_BPU = new NodeInfo(Placement.BPU, QuantType.INT16, QuantType.INT16);

    @TempDir
    Path tmp;

    /** Without their model files and calibration folders, those are the only problems reported. */
    @ParameterizedTest
    @CsvSource({
        "mobilenetv3_bayese_nv12_per_channel_mean_scale.yaml, mobilenetv3_large_100.onnx, calibration_data_rgb_f32",
        "paddleocr_det_bernoulli2_nv12.yaml, en_PP-OCRv3_det_infer.onnx, calibration_data_rgb_f32",
        "paddleocr_rec_bayese_featuremap_int16.yaml, en_PP-OCRv3_rec_infer.onnx, calibration_data_rgb_f32",
        "unet_resnet50_bernoulli2_nv12_preprocess_on.yaml, UNet_11.onnx, unet",
        "yolo11n_seg_bayese_nv12_node_info.yaml, yolo11n-seg.onnx, calibration_data_rgb_f32_640",
        "yolov10n_bernoulli2_nv12.yaml, yolov10n.onnx, calibration_data_rgb_f32_coco_640",
    })
    void onlyTheMissingPathsAreReported(String file, String model, String calDir) {
        Path yaml = TestData.require(DIR + "/" + file);
        Path base = yaml.toAbsolutePath().normalize().getParent();
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, ModelType.ONNX));
        assertEquals(List.of(
                "Key 'model_parameters' error:\n'onnx_model': file not found: " + base.resolve(model),
                "Key 'calibration_parameters' error:\n'cal_data_dir': directory not found: " + base.resolve(calDir)),
                e.problems());
        assertEquals(ConfigException.PARSE_FAILED, e.logLines().get(e.logLines().size() - 1));
    }

    /** Every real configuration loads once its paths exist, and the dump of it loads back to the same dump. */
    @ParameterizedTest
    @CsvSource({
        "mobilenetv3_bayese_nv12_per_channel_mean_scale.yaml, mobilenetv3_large_100.onnx, calibration_data_rgb_f32",
        "paddleocr_det_bernoulli2_nv12.yaml, en_PP-OCRv3_det_infer.onnx, calibration_data_rgb_f32",
        "paddleocr_rec_bayese_featuremap_int16.yaml, en_PP-OCRv3_rec_infer.onnx, calibration_data_rgb_f32",
        "unet_resnet50_bernoulli2_nv12_preprocess_on.yaml, UNet_11.onnx, unet",
        "yolo11n_seg_bayese_nv12_node_info.yaml, yolo11n-seg.onnx, calibration_data_rgb_f32_640",
        "yolov10n_bernoulli2_nv12.yaml, yolov10n.onnx, calibration_data_rgb_f32_coco_640",
    })
    void dumpRoundTrips(String file, String model, String calDir) throws IOException {
        Config c = loadWithPaths(file, model, calDir);
        String dump = ConfigLoader.dump(c);
        Path again = tmp.resolve("elsewhere/dumped.yaml");
        Files.createDirectories(again.getParent());
        Files.writeString(again, dump);
        Config reloaded = ConfigLoader.load(again, ModelType.ONNX);
        assertEquals(dump, ConfigLoader.dump(reloaded));
        assertEquals(c.model().workingDir(), reloaded.model().workingDir());
    }

    @Test
    void mobilenetPerChannelMeanScaleAndInt16NodeInfo() throws IOException {
        Config c = loadWithPaths("mobilenetv3_bayese_nv12_per_channel_mean_scale.yaml", "mobilenetv3_large_100.onnx",
                "calibration_data_rgb_f32");
        assertEquals(March.BAYES_E, c.model().march());
        assertEquals(tmp.resolve("mobilenetv3_large_100.onnx"), c.model().onnxModel());
        assertEquals("MobileNetV3_224x224_nv12", c.model().outputModelFilePrefix());
        assertEquals(tmp.resolve("MobileNetV3_224x224_nv12"), c.model().workingDir());
        assertEquals(false, c.model().layerOutDump());
        assertEquals(List.of("/blocks/blocks.3/blocks.3.1/conv_pwl/Conv", "/blocks/blocks.0/blocks.0.0/conv_dw/Conv",
                "/bn1/act/Mul", "/blocks/blocks.0/blocks.0.0/Add"), List.copyOf(c.model().nodeInfo().keySet()));
        for (NodeInfo n : c.model().nodeInfo().values()) {
            assertEquals(INT16_ON_BPU, n);
        }
        InputSpec in = single(c);
        assertEquals("", in.name());
        assertEquals(InputType.RGB, in.typeTrain());
        assertEquals(Layout.NCHW, in.layoutTrain());
        assertEquals(InputType.NV12, in.typeRt());
        assertNull(in.layoutRt());
        assertEquals(ColorRange.REGULAR, in.colorRange());
        assertNull(in.shape());
        assertEquals(1, in.batch());
        assertEquals(NormType.DATA_MEAN_AND_SCALE, in.normType());
        assertArrayEquals(new float[] {123.675f, 116.28f, 103.53f}, in.mean());
        assertArrayEquals(new float[] {0.01712475f, 0.017507f, 0.01742919f}, in.scale());
        assertEquals(List.of(new CalibrationParameters.Source(tmp.resolve("calibration_data_rgb_f32"), DataType.FLOAT32)),
                c.calibration().sources());
        assertEquals(CalibrationType.DEFAULT, c.calibration().type());
        assertEquals(1.0, c.calibration().maxPercentile());
        assertEquals(false, c.calibration().perChannel());
        assertEquals(false, c.calibration().preprocessOn());
        assertEquals(Set.of(), c.calibration().optimizations());
        assertEquals(CompileMode.LATENCY, c.compiler().compileMode());
        assertEquals(OptimizeLevel.O3, c.compiler().optimizeLevel());
        assertEquals(false, c.compiler().debug());
        assertEquals(1, c.compiler().coreNum());
        assertEquals(16, c.compiler().jobs());
        assertEquals(0, c.compiler().maxTimePerFc());
        assertEquals(Map.of("", InputSource.PYRAMID), c.compiler().inputSource());
        assertNull(c.customOp());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void paddleOcrDetection() throws IOException {
        Config c = loadWithPaths("paddleocr_det_bernoulli2_nv12.yaml", "en_PP-OCRv3_det_infer.onnx",
                "calibration_data_rgb_f32");
        assertEquals(March.BERNOULLI2, c.model().march());
        assertEquals(tmp.resolve("model_output"), c.model().workingDir());
        assertEquals("en_PP-OCRv3_det_infer-deploy_640x640_nv12", c.model().outputModelFilePrefix());
        assertEquals(Map.of(), c.model().nodeInfo());
        assertEquals(NormType.DATA_MEAN_AND_SCALE, single(c).normType());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void paddleOcrRecognitionFeaturemapAllInt16() throws IOException {
        Config c = loadWithPaths("paddleocr_rec_bayese_featuremap_int16.yaml", "en_PP-OCRv3_rec_infer.onnx",
                "calibration_data_rgb_f32");
        assertEquals(March.BAYES_E, c.model().march());
        assertEquals(List.of("p2o.Softmax.0", "p2o.Softmax.1", "p2o.Softmax.2"),
                List.copyOf(c.model().nodeInfo().keySet()));
        assertEquals(INT16_ON_BPU, c.model().nodeInfo().get("p2o.Softmax.1"));
        InputSpec in = single(c);
        assertEquals(InputType.FEATUREMAP, in.typeTrain());
        assertEquals(InputType.FEATUREMAP, in.typeRt());
        assertEquals(Layout.NCHW, in.layoutRt());
        assertEquals(NormType.NO_PREPROCESS, in.normType());
        assertNull(in.mean());
        assertNull(in.scale());
        assertEquals(Set.of(Optimization.SET_ALL_NODES_INT16), c.calibration().optimizations());
        assertEquals(Map.of("", InputSource.DDR), c.compiler().inputSource());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void unetPreprocessOnIgnoresTheMeanBesideDataScale() throws IOException {
        Config c = loadWithPaths("unet_resnet50_bernoulli2_nv12_preprocess_on.yaml", "UNet_11.onnx", "unet");
        assertEquals(March.BERNOULLI2, c.model().march());
        assertEquals(Map.of(), c.model().nodeInfo());
        InputSpec in = single(c);
        assertEquals(NormType.DATA_SCALE, in.normType());
        assertNull(in.mean());
        float s = 0.003921568627451f;
        assertArrayEquals(new float[] {s, s, s}, in.scale());
        assertEquals(true, c.calibration().preprocessOn());
        assertEquals(DataType.FLOAT32, c.calibration().sources().get(0).dataType());
        assertEquals(1, c.compiler().coreNum());
        assertEquals(16, c.compiler().jobs());
        assertEquals(List.of(
                "input_parameters.mean_value: '0' ignored: norm_type data_scale does not use it",
                "calibration_parameters.cal_data_type: float32, but the directory name unet implies uint8 (only a name"
                        + " ending in _f32 means float32); the parameter wins: samples are read as float32"),
                c.warnings());
    }

    @Test
    void yolo11SegmentationSoftmaxInt16() throws IOException {
        Config c = loadWithPaths("yolo11n_seg_bayese_nv12_node_info.yaml", "yolo11n-seg.onnx",
                "calibration_data_rgb_f32_640");
        assertEquals(March.BAYES_E, c.model().march());
        assertEquals(Map.of("/model.10/m/m.0/attn/Softmax", INT16_ON_BPU), c.model().nodeInfo());
        assertEquals(NormType.DATA_SCALE, single(c).normType());
        assertEquals(CalibrationType.DEFAULT, c.calibration().type());
        assertEquals(DataType.FLOAT32, c.calibration().sources().get(0).dataType());
        assertEquals(List.of("calibration_parameters.cal_data_type: float32, but the directory name"
                + " calibration_data_rgb_f32_640 implies uint8 (only a name ending in _f32 means float32); the parameter"
                + " wins: samples are read as float32"), c.warnings());
    }

    @Test
    void yolov10Detection() throws IOException {
        Config c = loadWithPaths("yolov10n_bernoulli2_nv12.yaml", "yolov10n.onnx", "calibration_data_rgb_f32_coco_640");
        assertEquals(March.BERNOULLI2, c.model().march());
        assertEquals(tmp.resolve("yolov10n_detect_bernoulli2_640x640_nv12"), c.model().workingDir());
        assertEquals(Map.of(), c.model().nodeInfo());
        assertNull(single(c).mean());
        assertEquals(OptimizeLevel.O3, c.compiler().optimizeLevel());
        assertEquals(1, c.warnings().size());
    }

    /** Copies the configuration into the temporary folder beside an empty model file and a one-sample folder. */
    private Config loadWithPaths(String file, String model, String calDir) throws IOException {
        Path yaml = TestData.require(DIR + "/" + file);
        Path copy = tmp.resolve(file);
        Files.copy(yaml, copy);
        Files.write(tmp.resolve(model), new byte[0]);
        Files.createDirectories(tmp.resolve(calDir));
        Files.write(tmp.resolve(calDir).resolve("sample_0.bin"), new byte[16]);
        Config c = ConfigLoader.load(copy, ModelType.ONNX);
        assertEquals(copy, c.source());
        assertTrue(c.model().onnxModel().isAbsolute());
        return c;
    }

    private static InputSpec single(Config c) {
        assertEquals(1, c.input().inputs().size());
        return c.input().inputs().get(0);
    }
}
