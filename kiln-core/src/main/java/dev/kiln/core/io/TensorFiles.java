package dev.kiln.core.io;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.onnx.OnnxTensors;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Tensor files Kiln reads and writes: numpy .npy and serialized ONNX TensorProto .pb. */
public final class TensorFiles {
    private TensorFiles() {
    }

    /** True for the file names Kiln reads as tensors. */
    public static boolean isTensorFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".npy") || n.endsWith(".pb");
    }

    /** Reads a .npy or .pb file; the format is recognised by its content, the extension breaks ties. */
    public static Tensor read(Path file) {
        if (!Files.exists(file)) {
            throw new KilnException("tensor file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new KilnException(file + " is a directory, not a tensor file");
        }
        try {
            if (isNpy(file)) {
                return Npy.read(file);
            }
            String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (n.endsWith(".npy")) {
                throw new KilnException(file + " is not a .npy file (missing the \\x93NUMPY magic)");
            }
            return OnnxTensors.readPb(file);
        } catch (NoSuchFileException e) {
            throw new KilnException("tensor file " + file + " does not exist");
        } catch (Npy.NpyException e) {
            throw new KilnException(e.getMessage());
        } catch (IOException e) {
            throw new KilnException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static boolean isNpy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(6);
            return m.length == 6 && (m[0] & 0xff) == 0x93 && m[1] == 'N' && m[2] == 'U' && m[3] == 'M'
                    && m[4] == 'P' && m[5] == 'Y';
        }
    }

    /** Writes a tensor as .npy (atomically). */
    public static void writeNpy(Path file, Tensor t) {
        try {
            Npy.write(file, t);
        } catch (IOException e) {
            throw new KilnException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** A tensor or value name as a file name: every character outside [A-Za-z0-9._-] becomes '_'. */
    public static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        String s = sb.toString();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
    }

    /** A file's name without its extension. */
    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
