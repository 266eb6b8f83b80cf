package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.io.RawTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one calibration file into a sample of one input:
 * <ul>
 *   <li>{@code .npy}: shape and element type from the header; the shape must be the input's, a
 *       leading batch of 1 added or omitted; uint8 and float32 are kept, float64 and float16 become
 *       float32, other types are refused;</li>
 *   <li>with preprocess_on, an image input's other files are images ({@link ImageSamples});</li>
 *   <li>anything else is raw little-endian data of the input's shape in cal_data_type.</li>
 * </ul>
 */
public final class SampleFiles {
    private static final Set<String> IMAGE_SUFFIXES = Set.of(".jpg", ".jpeg", ".png", ".bmp");

    private SampleFiles() {
    }

    public static Tensor read(Path file, CalibrationInput in, boolean preprocessOn) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return readNpy(file, in);
        }
        if (preprocessOn && in.isImage()) {
            return ImageSamples.read(file, in, in.source().dataType());
        }
        return readRaw(file, in);
    }

    static Tensor readRaw(Path file, CalibrationInput in) {
        DataType type = in.source().dataType();
        DType dtype = type == DataType.FLOAT32 ? DType.FLOAT : DType.UINT8;
        int[] shape = in.shape();
        long expected = (long) elements(shape) * dtype.byteSize();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new KilnException("cannot read calibration file " + file + ": " + e.getMessage());
        }
        if (size != expected) {
            String hint = isImageName(file) ? " (images are decoded only with preprocess_on: True)" : "";
            throw new KilnException("calibration file " + file + " has " + size + " bytes but input '" + in.name()
                    + "' of shape " + CalibrationInput.shapeText(shape) + " in " + dtype.displayName() + " needs "
                    + expected + " bytes" + hint);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KilnException("cannot read calibration file " + file + ": " + e.getMessage());
        }
        return RawTensors.decode(dtype, shape, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    static Tensor readNpy(Path file, CalibrationInput in) {
        Tensor t;
        try {
            t = Npy.read(file);
        } catch (Npy.NpyException e) {
            throw new KilnException("calibration file " + e.getMessage());
        } catch (IOException e) {
            throw new KilnException("cannot read calibration file " + file + ": " + e.getMessage());
        }
        switch (t.dtype()) {
            case UINT8: case FLOAT:
                break;
            case DOUBLE: case FLOAT16:
                t = t.castTo(DType.FLOAT);
                break;
            default:
                throw new KilnException("calibration file " + file + " holds " + t.dtype().displayName()
                        + " data; input '" + in.name() + "' takes uint8 or float32 (float64 and float16 are converted)");
        }
        int[] want = in.shape();
        int[] have = t.shape();
        if (!sameUpToBatch(have, want)) {
            throw new KilnException("calibration file " + file + " holds shape " + CalibrationInput.shapeText(have)
                    + " but input '" + in.name() + "' has shape " + CalibrationInput.shapeText(want)
                    + " (a leading batch of 1 may be added or left out)");
        }
        return Arrays.equals(have, want) ? t : t.reshape(want);
    }

    private static boolean sameUpToBatch(int[] have, int[] want) {
        if (Arrays.equals(have, want)) {
            return true;
        }
        if (have.length == want.length + 1 && have[0] == 1) {
            return Arrays.equals(Arrays.copyOfRange(have, 1, have.length), want);
        }
        if (want.length == have.length + 1 && want[0] == 1) {
            return Arrays.equals(Arrays.copyOfRange(want, 1, want.length), have);
        }
        return false;
    }

    private static boolean isImageName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && IMAGE_SUFFIXES.contains(n.substring(dot));
    }

    private static int elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new KilnException("input shape " + CalibrationInput.shapeText(shape) + " is too large");
        }
        return (int) n;
    }
}
