package dev.kiln.core.config;

import dev.kiln.core.config.InputParameters.ColorRange;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.config.InputParameters.NormType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** input_parameters: per-input lists, types, layouts, shapes, normalisation. Exact messages. */
class InputRulesTest {
    private static final String IN = "input_parameters";

    @TempDir
    Path tmp;
    ConfigFixture f;

    @BeforeEach
    void fixture() {
        f = new ConfigFixture(tmp);
    }

    private ConfigFixture featuremap() {
        return f.set(IN, "input_type_train", "featuremap").set(IN, "input_type_rt", "featuremap")
                .remove(IN, "norm_type").remove(IN, "mean_value").remove(IN, "scale_value");
    }

    private ConfigFixture twoInputs() {
        return f.set(IN, "input_name", "'data;im_info'")
                .set(IN, "input_type_train", "'rgb;featuremap'")
                .set(IN, "input_layout_train", "'NCHW;'")
                .set(IN, "input_type_rt", "'nv12;featuremap'")
                .set(IN, "input_shape", "'1x3x224x224;1x3'")
                .set(IN, "norm_type", "'data_mean_and_scale;no_preprocess'")
                .set(IN, "mean_value", "'128;'")
                .set(IN, "scale_value", "'0.0078125;'")
                .set("calibration_parameters", "cal_data_dir", "'./cal_u8;./cal_b_f32'");
    }

    @Test
    void severalInputsTakeOneEntryEach() {
        Config c = twoInputs().load();
        List<InputSpec> in = c.input().inputs();
        assertEquals(2, in.size());
        assertEquals("data", in.get(0).name());
        assertArrayEquals(new int[] {1, 3, 224, 224}, in.get(0).shape());
        assertArrayEquals(new float[] {128f, 128f, 128f}, in.get(0).mean());
        assertEquals("im_info", in.get(1).name());
        assertEquals(InputType.FEATUREMAP, in.get(1).typeTrain());
        assertNull(in.get(1).layoutTrain());
        assertEquals(Layout.NCHW, in.get(1).layoutRt());
        assertNull(in.get(1).mean());
        assertArrayEquals(new int[] {1, 3}, in.get(1).shape());
        assertEquals(CalibrationParameters.DataType.UINT8, c.calibration().sources().get(0).dataType());
        assertEquals(CalibrationParameters.DataType.FLOAT32, c.calibration().sources().get(1).dataType());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void entryCountsMustMatchInputName() {
        twoInputs().set(IN, "input_type_rt", "'nv12'").set(IN, "mean_value", "'128;1;2'");
        assertEquals(List.of(
                "Key 'input_parameters' error:\n'input_type_rt': 1 entries separated by ';' but 2 inputs in input_name,"
                        + " found 'nv12'",
                "Key 'input_parameters' error:\n'mean_value': 3 entries separated by ';' but 2 inputs in input_name,"
                        + " found '128;1;2'"), f.problems());
    }

    @Test
    void anUnnamedInputTakesExactlyOneEntry() {
        f.set(IN, "input_shape", "'1x3x224x224;1x3x224x224'");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': 2 entries separated by ';' but 1 input"
                + " (input_name is empty: the model's single input), found '1x3x224x224;1x3x224x224'"), f.problems());
        f.remove(IN, "input_name").set(IN, "input_shape", "'1x3x224x224;'");
        assertArrayEquals(new int[] {1, 3, 224, 224}, f.load().input().inputs().get(0).shape());
    }

    @Test
    void inputNamesAreDistinctAndNonEmpty() {
        twoInputs().set(IN, "input_name", "'data;;data'");
        List<String> p = f.problems();
        assertEquals("Key 'input_parameters' error:\n'input_name': entry 2 of 'data;;data' is empty", p.get(0));
        assertEquals("Key 'input_parameters' error:\n'input_name': 'data' is given twice", p.get(1));
    }

    @Test
    void typesAreRequiredAndChecked() {
        f.remove(IN, "input_type_train").set(IN, "input_type_rt", "'nv21'");
        assertEquals(List.of("Key 'input_parameters' error:\nMissing key: 'input_type_train'",
                "Key 'input_parameters' error:\n'input_type_rt': 'nv21' is not one of 'nv12', 'yuv444', 'rgb', 'bgr',"
                        + " 'gray', 'featuremap' (did you mean 'nv12'?)"), f.problems());
        f.set(IN, "input_type_train", "nv12").set(IN, "input_type_rt", "nv12");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_type_train': 'nv12' is not one of 'rgb', 'bgr',"
                + " 'yuv444', 'gray', 'featuremap'"), f.problems());
    }

    /** SPEC section 4: yuv444 <- nv12, yuv444; rgb, bgr <- nv12, yuv444, rgb, bgr; gray <- gray; featuremap <- featuremap. */
    @ParameterizedTest
    @CsvSource({
        "rgb, nv12, true", "rgb, yuv444, true", "rgb, rgb, true", "rgb, bgr, true", "rgb, gray, false",
        "rgb, featuremap, false", "bgr, nv12, true", "bgr, rgb, true", "bgr, gray, false",
        "yuv444, nv12, true", "yuv444, yuv444, true", "yuv444, rgb, false", "yuv444, bgr, false",
        "gray, gray, true", "gray, nv12, false", "gray, rgb, false",
        "featuremap, featuremap, true", "featuremap, rgb, false", "featuremap, nv12, false",
    })
    void typeCombinations(String train, String rt, boolean allowed) {
        f.set(IN, "input_type_train", train).set(IN, "input_type_rt", rt).remove(IN, "norm_type")
                .remove(IN, "mean_value").remove(IN, "scale_value");
        if (allowed) {
            InputSpec in = f.load().input().inputs().get(0);
            assertEquals(train, in.typeTrain().key());
            assertEquals(rt, in.typeRt().key());
        } else {
            String accepts = train.equals("rgb") || train.equals("bgr") ? "'nv12', 'yuv444', 'rgb', 'bgr'"
                    : train.equals("yuv444") ? "'nv12', 'yuv444'" : "'" + train + "'";
            assertEquals(List.of("Key 'input_parameters' error:\n'input_type_rt': '" + rt + "' cannot feed a model"
                    + " trained on input_type_train '" + train + "'; " + train + " accepts " + accepts), f.problems());
        }
    }

    @Test
    void layoutsAreChecked() {
        f.set(IN, "input_layout_train", "NCWH");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_layout_train': 'NCWH' is not one of"
                + " 'NCHW', 'NHWC' (did you mean 'NCHW'?)"), f.problems());
        f.remove(IN, "input_layout_train");
        assertEquals(List.of("Key 'input_parameters' error:\nMissing key: 'input_layout_train' (NCHW or NHWC, as the"
                + " model was trained)"), f.problems());
        f.set(IN, "input_layout_train", "nhwc").set(IN, "input_type_rt", "rgb").set(IN, "input_layout_rt", "'NCHW'");
        InputSpec in = f.load().input().inputs().get(0);
        assertEquals(Layout.NHWC, in.layoutTrain());
        assertEquals(Layout.NCHW, in.layoutRt());
    }

    @Test
    void runtimeLayoutDefaultsFromTheType() {
        f.set(IN, "input_type_rt", "rgb");
        assertEquals(Layout.NHWC, f.load().input().inputs().get(0).layoutRt());
        f.set(IN, "input_type_train", "gray").set(IN, "input_type_rt", "gray").set(IN, "mean_value", "128")
                .set(IN, "scale_value", "0.0078125");
        assertEquals(Layout.NCHW, f.load().input().inputs().get(0).layoutRt());
    }

    @Test
    void runtimeLayoutIsIgnoredForNv12() {
        f.set(IN, "input_layout_rt", "NHWC");
        Config c = f.load();
        assertNull(c.input().inputs().get(0).layoutRt());
        assertEquals(List.of("input_parameters.input_layout_rt: ignored for input_type_rt nv12 (nv12 has no layout)"),
                c.warnings());
    }

    @Test
    void videoRangeOnlyForNv12() {
        f.set(IN, "input_space_and_range", "bt601_video");
        assertEquals(ColorRange.BT601_VIDEO, f.load().input().inputs().get(0).colorRange());
        f.set(IN, "input_type_rt", "bgr");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_space_and_range': bt601_video applies to"
                + " input_type_rt nv12 only, found 'bgr'"), f.problems());
        f.set(IN, "input_space_and_range", "full");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_space_and_range': 'full' is not one of 'regular',"
                + " 'bt601_video'"), f.problems());
    }

    @Test
    void inputShapeForm() {
        f.set(IN, "input_shape", "'1X3X224X224'");
        assertArrayEquals(new int[] {1, 3, 224, 224}, f.load().input().inputs().get(0).shape());
        f.set(IN, "input_shape", "''");
        assertNull(f.load().input().inputs().get(0).shape());
        f.set(IN, "input_shape", "'1,3,224,224'");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '1,3,224,224' is not of the form"
                + " 1x3x224x224"), f.problems());
        f.set(IN, "input_shape", "1x3x0x224");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '1x3x0x224' has dimension 0 at position 2;"
                + " every dimension must be greater than 0"), f.problems());
    }

    @Test
    void imageShapesAreFourDimensionalWithTheTypesChannels() {
        f.set(IN, "input_shape", "3x224x224");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '3x224x224' has 3 dimensions;"
                + " input_type_train rgb needs 4 (N, C, H, W in input_layout_train order) or input_type_train"
                + " featuremap"), f.problems());
        f.set(IN, "input_shape", "1x224x224x3");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '1x224x224x3' has 224 channels in NCHW"
                + " order; input_type_train rgb has 3 (the shape looks NHWC: check input_layout_train)"), f.problems());
        featuremap().set(IN, "input_shape", "1x25x7");
        assertArrayEquals(new int[] {1, 25, 7}, f.load().input().inputs().get(0).shape());
    }

    @Test
    void nv12AndYuv444NeedEvenHeightAndWidth() {
        f.set(IN, "input_shape", "1x3x225x224");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '1x3x225x224' has odd height 225;"
                + " input_type_rt nv12 needs even height and width"), f.problems());
        f.set(IN, "input_type_rt", "yuv444").set(IN, "input_layout_train", "NHWC").set(IN, "input_shape", "1x224x223x3");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_shape': '1x224x223x3' has odd width 223;"
                + " input_type_rt yuv444 needs even height and width"), f.problems());
        f.set(IN, "input_type_rt", "rgb");
        assertArrayEquals(new int[] {1, 224, 223, 3}, f.load().input().inputs().get(0).shape());
    }

    @Test
    void inputBatch() {
        f.set(IN, "input_batch", "'8'");
        assertEquals(8, f.load().input().inputs().get(0).batch());
        f.set(IN, "input_batch", "129");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_batch': 129 is out of range; expected 1 to 128"),
                f.problems());
        f.set(IN, "input_batch", "0");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_batch': 0 is out of range; expected 1 to 128"),
                f.problems());
        f.set(IN, "input_batch", "4").set(IN, "input_shape", "2x3x224x224");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_batch': needs input_shape with batch 1, found"
                + " '2x3x224x224'"), f.problems());
        f.set(IN, "input_batch", "'2;2'").remove(IN, "input_shape");
        assertEquals(List.of("Key 'input_parameters' error:\n'input_batch': takes one value for the whole model, found"
                + " '2;2'"), f.problems());
    }

    @Test
    void normTypeValues() {
        f.set(IN, "norm_type", "data_mean_scale");
        assertEquals(List.of("Key 'input_parameters' error:\n'norm_type': 'data_mean_scale' is not one of"
                + " 'data_mean_and_scale', 'data_mean', 'data_scale', 'no_preprocess' (did you mean"
                + " 'data_mean_and_scale'?)"), f.problems());
    }

    @Test
    void normTypeFollowsFromTheValuesWhenAbsent() {
        f.remove(IN, "norm_type");
        assertEquals(NormType.DATA_MEAN_AND_SCALE, f.load().input().inputs().get(0).normType());
        f.remove(IN, "mean_value");
        assertEquals(NormType.DATA_SCALE, f.load().input().inputs().get(0).normType());
        f.remove(IN, "scale_value");
        assertEquals(NormType.NO_PREPROCESS, f.load().input().inputs().get(0).normType());
    }

    @Test
    void meanAndScaleCountsAreOneOrTheChannels() {
        f.set(IN, "mean_value", "'128'").set(IN, "scale_value", "'0.5,0.25 0.125'");
        InputSpec in = f.load().input().inputs().get(0);
        assertArrayEquals(new float[] {128f, 128f, 128f}, in.mean());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, in.scale());
        f.set(IN, "mean_value", "1 2");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value': 2 values in '1 2', expected 1 or 3 (one per"
                + " channel of input_type_train rgb)"), f.problems());
        f.set(IN, "input_type_train", "gray").set(IN, "input_type_rt", "gray").set(IN, "mean_value", "1 2 3");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value': 3 values in '1 2 3', expected 1"
                + " (input_type_train gray has one channel)",
                "Key 'input_parameters' error:\n'scale_value': 3 values in '0.5,0.25 0.125', expected 1"
                        + " (input_type_train gray has one channel)"), f.problems());
    }

    @Test
    void meanAndScaleAreNumbers() {
        f.set(IN, "mean_value", "123.6 abc 103");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value': 'abc' is not a number (in '123.6 abc 103')"),
                f.problems());
        f.set(IN, "mean_value", "0").set(IN, "scale_value", "0");
        assertEquals(List.of("Key 'input_parameters' error:\n'scale_value': 0 would multiply the input by zero"),
                f.problems());
    }

    @Test
    void theNormTypeNeedsItsValues() {
        f.remove(IN, "mean_value");
        assertEquals(List.of("Key 'input_parameters' error:\nMissing key: 'mean_value' (norm_type data_mean_and_scale"
                + " needs it)"), f.problems());
        f.set(IN, "norm_type", "data_scale").remove(IN, "scale_value");
        assertEquals(List.of("Key 'input_parameters' error:\nMissing key: 'scale_value' (norm_type data_scale needs it)"),
                f.problems());
    }

    @Test
    void unusedMeanOrScaleIsIgnoredWithAWarning() {
        f.set(IN, "norm_type", "data_scale").set(IN, "mean_value", "0");
        Config c = f.load();
        assertNull(c.input().inputs().get(0).mean());
        assertEquals(List.of("input_parameters.mean_value: '0' ignored: norm_type data_scale does not use it"),
                c.warnings());
        f.set(IN, "norm_type", "data_mean").set(IN, "mean_value", "128");
        c = f.load();
        assertNull(c.input().inputs().get(0).scale());
        assertEquals(List.of("input_parameters.scale_value: '0.0171 0.0175 0.0174' ignored: norm_type data_mean does"
                + " not use it"), c.warnings());
    }

    @Test
    void featuremapTakesNoPreprocessOnly() {
        featuremap().set(IN, "norm_type", "data_scale").set(IN, "scale_value", "2");
        assertEquals(List.of("Key 'input_parameters' error:\n'norm_type': featuremap inputs take norm_type no_preprocess"
                + " (no mean_value or scale_value), found data_scale"), f.problems());
        featuremap().set(IN, "mean_value", "1");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value': featuremap inputs take norm_type"
                + " no_preprocess (no mean_value or scale_value), found data_mean"), f.problems());
    }

    @Test
    void perInputMessagesNameTheInput() {
        twoInputs().set(IN, "mean_value", "'1 2;'").set(IN, "input_type_rt", "'nv12;rgb'");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value' of input 'data': 2 values in '1 2', expected 1"
                        + " or 3 (one per channel of input_type_train rgb)",
                "Key 'input_parameters' error:\n'input_type_rt' of input 'im_info': 'rgb' cannot feed a model trained on"
                        + " input_type_train 'featuremap'; featuremap accepts 'featuremap'"), f.problems());
    }

    @Test
    void aListWhereOneValuePerInputBelongs() {
        f.set(IN, "mean_value", "[123.675, 116.28, 103.53]");
        assertEquals(List.of("Key 'input_parameters' error:\n'mean_value': expected one value per input separated by"
                + " ';', found a list"), f.problems());
    }
}
