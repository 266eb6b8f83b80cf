package dev.kiln.core.io.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.onnx.proto.OnnxIr.StringStringEntryProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TensorProto;
import dev.kiln.runtime.io.RawTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Half;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Conversion between ONNX TensorProto messages and Kiln tensors, including external data. */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /**
     * Decodes a TensorProto. {@code baseDir} resolves external-data locations (may be null when the
     * tensor cannot be external). {@code what} names the tensor in error messages.
     */
    public static Tensor fromProto(TensorProto p, Path baseDir, String what) {
        DType dtype = DType.fromOnnx(p.getDataType());
        if (dtype == null || dtype == DType.STRING) {
            throw new KilnException(what + ": tensors of type " + DType.onnxName(p.getDataType())
                    + " are not supported");
        }
        long[] dims = new long[p.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = p.getDims(i);
            if (dims[i] < 0) {
                throw new KilnException(what + ": negative dimension " + dims[i]);
            }
        }
        int[] shape;
        try {
            shape = Shapes.toIntShape(dims);
            Shapes.size(shape);
        } catch (IllegalArgumentException e) {
            throw new KilnException(what + ": " + e.getMessage());
        }
        int n = Shapes.size(shape);
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return RawTensors.decode(dtype, shape, readExternal(p, baseDir, what, (long) n * dtype.byteSize()));
        }
        if (p.hasRawData()) {
            ByteString raw = p.getRawData();
            long need = (long) n * dtype.byteSize();
            if (raw.size() != need) {
                throw new KilnException(what + ": raw_data holds " + raw.size() + " bytes but " + dtype + " "
                        + Shapes.toString(shape) + " needs " + need);
            }
            return RawTensors.decode(dtype, shape, raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
        }
        Tensor t = Tensor.allocate(dtype, shape);
        int have;
        switch (dtype) {
            case FLOAT: {
                have = p.getFloatDataCount();
                checkCount(what, have, n);
                float[] f = t.floats();
                for (int i = 0; i < n; i++) f[i] = p.getFloatData(i);
                break;
            }
            case DOUBLE: {
                have = p.getDoubleDataCount();
                checkCount(what, have, n);
                double[] d = t.doubles();
                for (int i = 0; i < n; i++) d[i] = p.getDoubleData(i);
                break;
            }
            case INT64: {
                have = p.getInt64DataCount();
                checkCount(what, have, n);
                long[] l = t.longs();
                for (int i = 0; i < n; i++) l[i] = p.getInt64Data(i);
                break;
            }
            case UINT32: case UINT64: {
                have = p.getUint64DataCount();
                checkCount(what, have, n);
                for (int i = 0; i < n; i++) t.setLong(i, p.getUint64Data(i));
                break;
            }
            case FLOAT16: {
                have = p.getInt32DataCount();
                checkCount(what, have, n);
                float[] f = t.floats();
                for (int i = 0; i < n; i++) f[i] = Half.toFloat((short) p.getInt32Data(i));
                break;
            }
            case BFLOAT16: {
                have = p.getInt32DataCount();
                checkCount(what, have, n);
                float[] f = t.floats();
                for (int i = 0; i < n; i++) f[i] = Half.bf16ToFloat((short) p.getInt32Data(i));
                break;
            }
            default: {
                // int32, int16, int8, uint16, uint8, bool all travel in int32_data
                have = p.getInt32DataCount();
                checkCount(what, have, n);
                for (int i = 0; i < n; i++) t.setLong(i, p.getInt32Data(i));
            }
        }
        return t;
    }

    private static void checkCount(String what, int have, int need) {
        if (have != need) {
            throw new KilnException(what + ": holds " + have + " values but its shape needs " + need);
        }
    }

    private static ByteBuffer readExternal(TensorProto p, Path baseDir, String what, long need) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location": location = e.getValue(); break;
                case "offset": offset = parseLong(what, e); break;
                case "length": length = parseLong(what, e); break;
                default: break;
            }
        }
        if (location == null) {
            throw new KilnException(what + ": external data without a 'location'");
        }
        if (baseDir == null) {
            throw new KilnException(what + ": external data '" + location + "' cannot be resolved here");
        }
        Path file = baseDir.resolve(location).normalize();
        if (length < 0) {
            length = need;
        }
        if (length != need) {
            throw new KilnException(what + ": external data length " + length + " does not match the " + need
                    + " bytes its type and shape need");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + length > ch.size()) {
                throw new KilnException(what + ": external data file " + file + " has " + ch.size()
                        + " bytes, too few for offset " + offset + " + length " + length);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    break;
                }
                pos += r;
            }
            buf.flip();
            return buf.order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            throw new KilnException(what + ": external data file " + file + " does not exist");
        } catch (IOException e) {
            throw new KilnException(what + ": cannot read external data file " + file + ": " + e.getMessage());
        }
    }

    private static long parseLong(String what, StringStringEntryProto e) {
        try {
            return Long.parseLong(e.getValue().trim());
        } catch (NumberFormatException ex) {
            throw new KilnException(what + ": external data " + e.getKey() + " '" + e.getValue() + "' is not a number");
        }
    }

    /** Encodes a tensor as a TensorProto with little-endian raw_data. */
    public static TensorProto toProto(Tensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dtype().onnxCode());
        if (name != null) {
            b.setName(name);
        }
        for (int d : t.shape()) {
            b.addDims(d);
        }
        ByteBuffer raw = RawTensors.encode(t, ByteOrder.LITTLE_ENDIAN);
        b.setRawData(ByteString.copyFrom(raw));
        return b.build();
    }

    /** Reads a serialized TensorProto file (.pb), as the ONNX test data sets store inputs and outputs. */
    public static Tensor readPb(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        TensorProto p;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            p = TensorProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new KilnException(file + ": not a serialized ONNX TensorProto (" + e.getMessage() + ")");
        }
        if (!p.hasDataType() || DType.fromOnnx(p.getDataType()) == null && p.getDataType() != 8) {
            throw new KilnException(file + ": not a serialized ONNX TensorProto (no valid data_type)");
        }
        return fromProto(p, file.toAbsolutePath().getParent(), file.toString());
    }

    /** The name stored in a .pb tensor file, or "" when it has none. */
    public static String pbName(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return TensorProto.parseFrom(bytes).getName();
        } catch (InvalidProtocolBufferException e) {
            throw new KilnException(file + ": not a serialized ONNX TensorProto (" + e.getMessage() + ")");
        }
    }
}
