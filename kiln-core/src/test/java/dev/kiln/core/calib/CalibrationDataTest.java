package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Source;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CalibrationDataTest {
    @TempDir
    Path tmp;

    static CalibrationInput input(String name, Path dir, DataType type, int... shape) {
        return new CalibrationInput(name, shape, InputType.RGB, Layout.NCHW, new Source(dir, type));
    }

    static CalibrationInput featuremap(String name, Path dir, DataType type, int... shape) {
        return new CalibrationInput(name, shape, InputType.FEATUREMAP, Layout.NCHW, new Source(dir, type));
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static void writeFloats(Path file, float... v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    @Test
    void rawUint8AndFloat32FilesHaveTheInputShape() throws IOException {
        Path u8 = dir("img");
        Files.write(u8.resolve("a.bin"), new byte[] {0, 1, (byte) 200, (byte) 255, 7, 8});
        Path f32 = dir("feat_f32");
        writeFloats(f32.resolve("a.bin"), 1.5f, -2f, 3.25f);
        CalibrationData data = CalibrationData.open(List.of(
                input("img", u8, DataType.UINT8, 1, 1, 2, 3),
                featuremap("feat", f32, DataType.FLOAT32, 1, 3)), false);
        assertEquals(1, data.size());
        Map<String, Tensor> s = data.get(0);
        Tensor img = s.get("img");
        assertEquals(DType.UINT8, img.dtype());
        assertArrayEquals(new int[] {1, 1, 2, 3}, img.shape());
        assertEquals(200, img.getLong(2));
        assertEquals(255, img.getLong(3));
        Tensor feat = s.get("feat");
        assertEquals(DType.FLOAT, feat.dtype());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, feat.floats());
        assertEquals(List.of("img", "feat"), data.inputNames());
        assertEquals("a", data.label(0, "feat"));
    }

    @Test
    void rawSizeMismatchNamesFileSizeExpectedSizeAndType() throws IOException {
        Path d = dir("cal_f32");
        Path f = d.resolve("x.bin");
        Files.write(f, new byte[10]);
        CalibrationData data = CalibrationData.open(List.of(input("data", d, DataType.FLOAT32, 1, 3, 2, 2)), false);
        KilnException e = assertThrows(KilnException.class, () -> data.get(0));
        assertEquals("calibration file " + f + " has 10 bytes but input 'data' of shape 1x3x2x2 in float32 needs 48 bytes",
                e.getMessage());
    }

    @Test
    void rawImageFileWithoutPreprocessOnHintsAtIt() throws IOException {
        Path d = dir("imgs");
        Path f = d.resolve("cat.jpg");
        Files.write(f, new byte[5]);
        CalibrationData data = CalibrationData.open(List.of(input("data", d, DataType.UINT8, 1, 3, 2, 2)), false);
        KilnException e = assertThrows(KilnException.class, () -> data.get(0));
        assertEquals("calibration file " + f + " has 5 bytes but input 'data' of shape 1x3x2x2 in uint8 needs 12 bytes"
                + " (images are decoded only with preprocess_on: True)", e.getMessage());
    }

    @Test
    void npyShapeAndTypeComeFromTheHeaderUpToALeadingBatchOfOne() throws IOException {
        Path d = dir("npy");
        TensorFiles.writeNpy(d.resolve("0.npy"), Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        TensorFiles.writeNpy(d.resolve("1.npy"), Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 3, 2));
        TensorFiles.writeNpy(d.resolve("2.npy"), Tensor.ofDoubles(new double[] {.5, 1, 1, 1, 1, 1}, 1, 3, 2));
        Tensor u8 = Tensor.allocate(DType.UINT8, 1, 3, 2);
        u8.bytes()[0] = (byte) 250;
        TensorFiles.writeNpy(d.resolve("3.npy"), u8);
        CalibrationData data = CalibrationData.open(List.of(input("x", d, DataType.UINT8, 1, 3, 2)), false);
        assertEquals(4, data.size());
        assertArrayEquals(new int[] {1, 3, 2}, data.get(0).get("x").shape());
        assertArrayEquals(new int[] {1, 3, 2}, data.get(1).get("x").shape());
        Tensor dbl = data.get(2).get("x");
        assertEquals(DType.FLOAT, dbl.dtype());
        assertEquals(0.5f, dbl.floats()[0]);
        Tensor b = data.get(3).get("x");
        assertEquals(DType.UINT8, b.dtype());
        assertEquals(250, b.getLong(0));
    }

    @Test
    void npyErrorsNameTheFile() throws IOException {
        Path d = dir("npy");
        Path shape = d.resolve("a.npy");
        TensorFiles.writeNpy(shape, Tensor.of(new float[8], 2, 4));
        Path type = d.resolve("b.npy");
        TensorFiles.writeNpy(type, Tensor.ofLongs(new long[6], 1, 3, 2));
        Path junk = d.resolve("c.npy");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        CalibrationData data = CalibrationData.open(List.of(input("x", d, DataType.FLOAT32, 1, 3, 2)), false);
        assertEquals("calibration file " + shape + " holds shape 2x4 but input 'x' has shape 1x3x2"
                + " (a leading batch of 1 may be added or left out)",
                assertThrows(KilnException.class, () -> data.get(0)).getMessage());
        assertEquals("calibration file " + type + " holds int64 data; input 'x' takes uint8 or float32"
                + " (float64 and float16 are converted)", assertThrows(KilnException.class, () -> data.get(1)).getMessage());
        assertEquals("calibration file " + junk + ": not a .npy file (missing the \\x93NUMPY magic)",
                assertThrows(KilnException.class, () -> data.get(2)).getMessage());
    }

    @Test
    void inputsArePairedByPositionInNameOrderAndHiddenFilesAreIgnored() throws IOException {
        Path a = dir("a");
        Path b = dir("b");
        for (String n : new String[] {"z", "m", "b"}) {
            Files.write(a.resolve(n + ".raw"), new byte[] {(byte) n.charAt(0)});
            Files.write(b.resolve("x" + n + ".raw"), new byte[] {(byte) n.charAt(0), 0});
        }
        Files.write(a.resolve(".DS_Store"), new byte[100]);
        Files.createDirectories(a.resolve("sub"));
        CalibrationData data = CalibrationData.open(List.of(
                featuremap("a", a, DataType.UINT8, 1), featuremap("b", b, DataType.UINT8, 2)), false);
        assertEquals(3, data.size());
        String[] expected = {"b", "m", "z"};
        for (int i = 0; i < 3; i++) {
            Map<String, Tensor> s = data.get(i);
            assertEquals(expected[i].charAt(0), s.get("a").getLong(0));
            assertEquals(expected[i].charAt(0), s.get("b").getLong(0));
            assertEquals(expected[i], data.label(i, "a"));
            assertEquals("x" + expected[i], data.label(i, "b"));
        }
    }

    @Test
    void differentFileCountsAreAnError() throws IOException {
        Path a = dir("a");
        Path b = dir("b");
        Files.write(a.resolve("1"), new byte[1]);
        Files.write(a.resolve("2"), new byte[1]);
        Files.write(b.resolve("1"), new byte[1]);
        KilnException e = assertThrows(KilnException.class, () -> CalibrationData.open(List.of(
                featuremap("a", a, DataType.UINT8, 1), featuremap("b", b, DataType.UINT8, 1)), false));
        assertEquals("cal_data_dir of input 'a' (" + a + ") holds 2 files but that of input 'b' (" + b + ") holds 1;"
                + " the inputs' files are paired in name order, so each directory must hold the same number of files",
                e.getMessage());
    }

    @Test
    void emptyAndMissingDirectoriesAreErrors() throws IOException {
        Path empty = dir("empty");
        Files.write(empty.resolve(".hidden"), new byte[1]);
        assertEquals("cal_data_dir " + empty + " of input 'x' holds no calibration files",
                assertThrows(KilnException.class, () -> CalibrationData.open(
                        List.of(featuremap("x", empty, DataType.UINT8, 1)), false)).getMessage());
        Path missing = tmp.resolve("nope");
        assertEquals("cal_data_dir " + missing + " of input 'x' does not exist",
                assertThrows(KilnException.class, () -> CalibrationData.open(
                        List.of(featuremap("x", missing, DataType.UINT8, 1)), false)).getMessage());
        Path file = Files.write(tmp.resolve("file"), new byte[1]);
        assertEquals("cal_data_dir " + file + " of input 'x' is not a directory",
                assertThrows(KilnException.class, () -> CalibrationData.open(
                        List.of(featuremap("x", file, DataType.UINT8, 1)), false)).getMessage());
    }

    @Test
    void samplesAreReadOnlyWhenTheStreamReachesThem() throws IOException {
        Path d = dir("s");
        for (int i = 0; i < 3; i++) {
            Files.write(d.resolve(i + ".raw"), new byte[] {(byte) i, 0});
        }
        CalibrationData data = CalibrationData.open(List.of(featuremap("x", d, DataType.UINT8, 2)), false);
        // a file broken after opening fails only when its sample is reached
        Files.write(d.resolve("2.raw"), new byte[3]);
        Iterator<Map<String, Tensor>> it = data.stream().iterator();
        assertEquals(0, it.next().get("x").getLong(0));
        assertEquals(1, it.next().get("x").getLong(0));
        KilnException e = assertThrows(KilnException.class, it::next);
        assertEquals("calibration file " + d.resolve("2.raw") + " has 3 bytes but input 'x' of shape 2 in uint8 needs 2 bytes",
                e.getMessage());
        assertEquals(2, data.limit(2).stream().count());
    }

    @Test
    void configurationInputsArePairedWithTheirDirectories() throws IOException {
        Path a = dir("a");
        Files.write(a.resolve("1"), new byte[12]);
        InputParameters.InputSpec spec = new InputParameters.InputSpec("data", InputType.RGB, Layout.NCHW, InputType.NV12,
                null, InputParameters.ColorRange.REGULAR, null, 1, InputParameters.NormType.NO_PREPROCESS, null, null);
        CalibrationParameters cal = new CalibrationParameters(List.of(new Source(a, DataType.UINT8)), false,
                CalibrationParameters.CalibrationType.KL, 1.0, false, List.of(), List.of(), Set.of());
        CalibrationData data = CalibrationData.open(new InputParameters(List.of(spec)), cal,
                Map.of("data", new int[] {1, 3, 2, 2}));
        assertArrayEquals(new int[] {1, 3, 2, 2}, data.get(0).get("data").shape());
        CalibrationParameters two = new CalibrationParameters(List.of(new Source(a, DataType.UINT8), new Source(a, DataType.UINT8)),
                false, CalibrationParameters.CalibrationType.KL, 1.0, false, List.of(), List.of(), Set.of());
        assertEquals("Key 'calibration_parameters.cal_data_dir' error: 2 directories given for 1 input"
                + " (one per input_name, separated by ';')", assertThrows(KilnException.class,
                () -> CalibrationData.open(new InputParameters(List.of(spec)), two, Map.of())).getMessage());
    }

    @Test
    void convertedSamplesAreDumpedAsNpy() throws IOException {
        Path d = dir("s");
        Files.write(d.resolve("img1.raw"), new byte[] {0, (byte) 128, (byte) 255});
        CalibrationSamples conv = CalibrationData.open(List.of(input("in:0", d, DataType.UINT8, 1, 3)), false)
                .converted((name, t) -> SampleConverter.offsetToInt8(t));
        Path out = tmp.resolve("dump");
        CalibrationSamples.dumpAll(out, conv);
        Tensor t = TensorFiles.read(out.resolve("in_0").resolve("img1.npy"));
        assertEquals(DType.INT8, t.dtype());
        assertArrayEquals(new byte[] {-128, 0, 127}, t.bytes());
    }
}
