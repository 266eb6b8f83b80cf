package dev.kiln.runtime.io;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes numpy {@code .npy} files (format versions 1.0 to 3.0, C order). */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The header of an .npy file: element type, shape and where the data starts. */
    public record Header(DType dtype, int[] shape, boolean bigEndian, long dataOffset) {
    }

    /** Thrown for files that are not valid .npy files; the message names the file. */
    public static final class NpyException extends IOException {
        public NpyException(String message) {
            super(message);
        }
    }

    public static Tensor read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Header h = parseHeader(file, all);
        long need = (long) Shapes.size(h.shape()) * h.dtype().byteSize();
        long have = all.length - h.dataOffset();
        if (have < need) {
            throw new NpyException(file + ": data holds " + have + " bytes but shape "
                    + Shapes.toString(h.shape()) + " of " + h.dtype() + " needs " + need);
        }
        ByteBuffer buf = ByteBuffer.wrap(all, (int) h.dataOffset(), (int) need)
                .order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return RawTensors.decode(h.dtype(), h.shape(), buf.slice().order(buf.order()));
    }

    /** Reads only the header (dtype, shape) without loading the data. */
    public static Header readHeader(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(65536 + 16);
        }
        return parseHeader(file, head);
    }

    private static Header parseHeader(Path file, byte[] b) throws NpyException {
        if (b.length < 10) {
            throw new NpyException(file + ": not a .npy file (" + b.length + " bytes, too short for the header)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                throw new NpyException(file + ": not a .npy file (missing the \\x93NUMPY magic)");
            }
        }
        int major = b[6] & 0xff;
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new NpyException(file + ": truncated .npy header");
            }
            headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8 | (b[10] & 0xff) << 16 | (b[11] & 0xff) << 24;
            start = 12;
        } else {
            throw new NpyException(file + ": unsupported .npy format version " + major);
        }
        if (headerLen < 0 || start + headerLen > b.length) {
            throw new NpyException(file + ": truncated .npy header");
        }
        String header = new String(b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher md = DESCR.matcher(header);
        Matcher mf = FORTRAN.matcher(header);
        Matcher ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find()) {
            throw new NpyException(file + ": malformed .npy header: " + header.trim());
        }
        if (mf.group(1).equals("True")) {
            throw new NpyException(file + ": Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray");
        }
        String descr = md.group(1);
        boolean big = descr.startsWith(">");
        DType dtype = dtypeOf(descr);
        if (dtype == null) {
            throw new NpyException(file + ": unsupported dtype '" + descr + "'");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : ms.group(1).split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
                } catch (NumberFormatException e) {
                    throw new NpyException(file + ": malformed shape in .npy header: (" + ms.group(1) + ")");
                }
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        return new Header(dtype, shape, big, start + headerLen);
    }

    private static DType dtypeOf(String descr) {
        String d = descr.length() > 1 && (descr.charAt(0) == '<' || descr.charAt(0) == '>'
                || descr.charAt(0) == '|' || descr.charAt(0) == '=') ? descr.substring(1) : descr;
        switch (d) {
            case "f4": return DType.FLOAT;
            case "f8": return DType.DOUBLE;
            case "f2": return DType.FLOAT16;
            case "i1": return DType.INT8;
            case "u1": return DType.UINT8;
            case "i2": return DType.INT16;
            case "u2": return DType.UINT16;
            case "i4": return DType.INT32;
            case "u4": return DType.UINT32;
            case "i8": return DType.INT64;
            case "u8": return DType.UINT64;
            case "b1": case "?": return DType.BOOL;
            default: return null;
        }
    }

    private static String descrOf(DType t) {
        switch (t) {
            case FLOAT: return "<f4";
            case DOUBLE: return "<f8";
            case FLOAT16: return "<f2";
            case INT8: return "|i1";
            case UINT8: return "|u1";
            case INT16: return "<i2";
            case UINT16: return "<u2";
            case INT32: return "<i4";
            case UINT32: return "<u4";
            case INT64: return "<i8";
            case UINT64: return "<u8";
            case BOOL: return "|b1";
            default: throw new IllegalArgumentException(".npy cannot hold " + t + " tensors");
        }
    }

    /** Writes a tensor (bfloat16 is written as float32, numpy having no bfloat16) atomically. */
    public static void write(Path file, Tensor t) throws IOException {
        Tensor w = t.dtype() == DType.BFLOAT16 ? t.castTo(DType.FLOAT) : t;
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < w.rank(); i++) {
            shape.append(w.dim(i)).append(w.rank() == 1 ? "," : (i + 1 < w.rank() ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '" + descrOf(w.dtype()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(pad)).append('\n');
        byte[] hb = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer data = RawTensors.encode(w, ByteOrder.LITTLE_ENDIAN);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, ".npy-", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(MAGIC);
            out.write(1);
            out.write(0);
            out.write(hb.length & 0xff);
            out.write((hb.length >>> 8) & 0xff);
            out.write(hb);
            out.write(data.array(), data.arrayOffset(), data.remaining());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
