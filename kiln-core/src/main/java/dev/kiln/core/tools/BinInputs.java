package dev.kiln.core.tools;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.IoDescriptor.TensorKind;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Input data for a compiled model from files: a {@code .npy}/{@code .pb} tensor (uint8/int8 for image
 * and S8/U8 inputs, any number type for float featuremaps), or a raw file of exactly the
 * descriptor's byte size (image bytes as laid out by the descriptor, float32 little-endian for
 * featuremaps). Without a file, deterministic pseudo-random data of the right kind.
 */
public final class BinInputs {
    private BinInputs() {
    }

    /** Inputs by name from NAME=FILE pairs (NAME may be empty for a one-input model); missing ones random. */
    public static Map<String, Input> load(List<IoDescriptor> descriptors, Map<String, Path> files, long seed) {
        Map<String, Path> byName = new LinkedHashMap<>(files);
        if (byName.containsKey("")) {
            if (descriptors.size() != 1) {
                throw new KilnException("--input without NAME= needs a one-input model; the model's inputs are "
                        + names(descriptors));
            }
            byName.put(descriptors.get(0).name(), byName.remove(""));
        }
        for (String n : byName.keySet()) {
            if (descriptors.stream().noneMatch(d -> d.name().equals(n))) {
                throw new KilnException("--input " + n + ": the model has no input of that name; its inputs are "
                        + names(descriptors));
            }
        }
        Map<String, Input> out = new LinkedHashMap<>();
        for (IoDescriptor d : descriptors) {
            Path p = byName.get(d.name());
            out.put(d.name(), p == null ? random(d, seed + out.size()) : read(d, p));
        }
        return out;
    }

    /** One input from a file. */
    public static Input read(IoDescriptor d, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KilnException("--input " + d.name() + ": " + file + " does not exist or is not a file");
        }
        if (TensorFiles.isTensorFile(file)) {
            Tensor t = TensorFiles.read(file);
            if (t.size() != Shapes.size(d.validShape()) && !(d.type() == TensorKind.NV12 && t.size() == d.byteSize())) {
                throw new KilnException("--input " + d.name() + ": " + file + " holds " + t.size() + " values "
                        + Shapes.toString(t.shape()) + ", expected " + describe(d));
            }
            if (d.type() == TensorKind.F32) {
                return Input.floats(t.castTo(DType.FLOAT).floats());
            }
            if (t.dtype() != DType.UINT8 && t.dtype() != DType.INT8) {
                throw new KilnException("--input " + d.name() + ": " + file + " holds " + t.dtype().displayName()
                        + " values; " + d.type() + " inputs take uint8 or int8 data");
            }
            return Input.bytes(t.bytes().clone());
        }
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KilnException("--input " + d.name() + ": cannot read " + file + ": " + e.getMessage());
        }
        if (data.length != d.byteSize()) {
            throw new KilnException("--input " + d.name() + ": " + file + " has " + data.length + " bytes, expected "
                    + d.byteSize() + " (" + describe(d) + ")");
        }
        if (d.type() == TensorKind.F32) {
            float[] f = new float[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return Input.floats(f);
        }
        if (d.type() == TensorKind.S16 || d.type() == TensorKind.S32) {
            throw new KilnException("--input " + d.name() + ": " + d.type() + " inputs take a .npy file");
        }
        return Input.bytes(data);
    }

    /** Pseudo-random data for a descriptor: bytes 0..255 for images, N(0,1) for featuremaps. */
    public static Input random(IoDescriptor d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        if (d.type() == TensorKind.F32) {
            float[] f = new float[(int) Shapes.size(d.validShape())];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) r.nextGaussian();
            }
            return Input.floats(f);
        }
        if (d.type() == TensorKind.S16 || d.type() == TensorKind.S32) {
            DType t = d.type() == TensorKind.S16 ? DType.INT16 : DType.INT32;
            Tensor x = Tensor.allocate(t, d.validShape().clone());
            for (int i = 0; i < x.size(); i++) {
                x.setLong(i, r.nextInt(-1000, 1000));
            }
            return Input.tensor(x);
        }
        byte[] b = new byte[(int) d.byteSize()];
        r.nextBytes(b);
        return Input.bytes(b);
    }

    /** "NV12 1x224x224 (75264 bytes)". */
    public static String describe(IoDescriptor d) {
        return d.type() + " " + Shapes.toString(d.validShape()) + (d.layout() == IoDescriptor.Layout.NONE ? ""
                : " " + d.layout()) + " (" + d.byteSize() + " bytes)";
    }

    private static String names(List<IoDescriptor> ds) {
        StringBuilder sb = new StringBuilder();
        for (IoDescriptor d : ds) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.name());
        }
        return "[" + sb + "]";
    }
}
