package dev.kiln.runtime.io;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Half;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Packed little/big-endian byte images of tensors, as in ONNX raw_data, .npy data and raw sample files. */
public final class RawTensors {
    private RawTensors() {
    }

    /** Decodes {@code Shapes.size(shape)} elements of {@code dtype} from buf (using buf's byte order). */
    public static Tensor decode(DType dtype, int[] shape, ByteBuffer buf) {
        int n = Shapes.size(shape);
        Tensor t = Tensor.allocate(dtype, shape);
        switch (dtype) {
            case FLOAT: buf.asFloatBuffer().get(t.floats(), 0, n); break;
            case DOUBLE: buf.asDoubleBuffer().get(t.doubles(), 0, n); break;
            case FLOAT16: {
                float[] f = t.floats();
                for (int i = 0; i < n; i++) f[i] = Half.toFloat(buf.getShort(buf.position() + 2 * i));
                break;
            }
            case BFLOAT16: {
                float[] f = t.floats();
                for (int i = 0; i < n; i++) f[i] = Half.bf16ToFloat(buf.getShort(buf.position() + 2 * i));
                break;
            }
            case INT8: case UINT8: buf.duplicate().get(t.bytes(), 0, n); break;
            case BOOL: {
                byte[] b = t.bytes();
                buf.duplicate().get(b, 0, n);
                for (int i = 0; i < n; i++) b[i] = (byte) (b[i] != 0 ? 1 : 0);
                break;
            }
            case INT16: case UINT16: buf.asShortBuffer().get(t.shorts(), 0, n); break;
            case INT32: case UINT32: buf.asIntBuffer().get(t.ints(), 0, n); break;
            case INT64: case UINT64: buf.asLongBuffer().get(t.longs(), 0, n); break;
            default: throw new IllegalArgumentException("cannot decode " + dtype + " tensors");
        }
        return t;
    }

    /** Encodes a tensor's elements into a new heap buffer (position 0, limit = byte size). */
    public static ByteBuffer encode(Tensor t, ByteOrder order) {
        int n = t.size();
        ByteBuffer buf = ByteBuffer.allocate(n * t.dtype().byteSize()).order(order);
        switch (t.dtype()) {
            case FLOAT: buf.asFloatBuffer().put(t.floats(), 0, n); break;
            case DOUBLE: buf.asDoubleBuffer().put(t.doubles(), 0, n); break;
            case FLOAT16: {
                float[] f = t.floats();
                for (int i = 0; i < n; i++) buf.putShort(2 * i, Half.fromFloat(f[i]));
                break;
            }
            case BFLOAT16: {
                float[] f = t.floats();
                for (int i = 0; i < n; i++) buf.putShort(2 * i, Half.bf16FromFloat(f[i]));
                break;
            }
            case INT8: case UINT8: case BOOL: buf.duplicate().put(t.bytes(), 0, n); break;
            case INT16: case UINT16: buf.asShortBuffer().put(t.shorts(), 0, n); break;
            case INT32: case UINT32: buf.asIntBuffer().put(t.ints(), 0, n); break;
            case INT64: case UINT64: buf.asLongBuffer().put(t.longs(), 0, n); break;
            default: throw new IllegalArgumentException("cannot encode " + t.dtype() + " tensors");
        }
        buf.position(0);
        buf.limit(n * t.dtype().byteSize());
        return buf;
    }
}
