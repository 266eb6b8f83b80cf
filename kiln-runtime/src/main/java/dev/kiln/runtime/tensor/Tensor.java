package dev.kiln.runtime.tensor;

import java.util.Arrays;

/**
 * A dense row-major tensor: element type, shape and a primitive array (see {@link DType} for which
 * array each type uses).
 *
 * <p>Tensors handed to a kernel are never modified by it: a kernel writes only to tensors it
 * allocated. That is what lets Reshape and friends return views that share the array.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int size;
    private final Object data;

    private Tensor(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.data = data;
        int len = java.lang.reflect.Array.getLength(data);
        if (len < size) {
            throw new IllegalArgumentException("data of length " + len + " is too short for shape "
                    + Shapes.toString(shape) + " (" + size + " elements)");
        }
    }

    /** Wraps an existing array (not copied). The array class must match the dtype's storage. */
    public static Tensor wrap(DType dtype, int[] shape, Object data) {
        Class<?> want = storageClass(dtype);
        if (data.getClass() != want) {
            throw new IllegalArgumentException(dtype + " tensors are stored in " + want.getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
        return new Tensor(dtype, shape.clone(), data);
    }

    /** A zero-filled tensor (storage recycled from the thread's {@link BufferPool} when one is installed). */
    public static Tensor allocate(DType dtype, int... shape) {
        int n = Shapes.size(shape);
        BufferPool pool = BufferPool.current();
        if (pool != null) {
            Object d = pool.take(storageClass(dtype), n);
            if (d != null) {
                fillZero(d);
                return new Tensor(dtype, shape.clone(), d);
            }
            Object fresh = newStorage(dtype, n);
            pool.noteAllocated(fresh);
            return new Tensor(dtype, shape.clone(), fresh);
        }
        return new Tensor(dtype, shape.clone(), newStorage(dtype, n));
    }

    /**
     * A tensor whose every element the caller will write before anyone reads it: recycled storage
     * is not cleared. Kernels that fill their whole output use this.
     */
    public static Tensor allocateForOverwrite(DType dtype, int... shape) {
        int n = Shapes.size(shape);
        BufferPool pool = BufferPool.current();
        if (pool != null) {
            Object d = pool.take(storageClass(dtype), n);
            if (d != null) {
                return new Tensor(dtype, shape.clone(), d);
            }
            Object fresh = newStorage(dtype, n);
            pool.noteAllocated(fresh);
            return new Tensor(dtype, shape.clone(), fresh);
        }
        return new Tensor(dtype, shape.clone(), newStorage(dtype, n));
    }

    private static void fillZero(Object d) {
        if (d instanceof float[]) {
            Arrays.fill((float[]) d, 0f);
        } else if (d instanceof byte[]) {
            Arrays.fill((byte[]) d, (byte) 0);
        } else if (d instanceof int[]) {
            Arrays.fill((int[]) d, 0);
        } else if (d instanceof long[]) {
            Arrays.fill((long[]) d, 0L);
        } else if (d instanceof short[]) {
            Arrays.fill((short[]) d, (short) 0);
        } else if (d instanceof double[]) {
            Arrays.fill((double[]) d, 0d);
        }
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(DType.FLOAT, shape.clone(), data);
    }

    public static Tensor ofLongs(long[] data, int... shape) {
        return new Tensor(DType.INT64, shape.clone(), data);
    }

    public static Tensor ofInts(int[] data, int... shape) {
        return new Tensor(DType.INT32, shape.clone(), data);
    }

    public static Tensor ofDoubles(double[] data, int... shape) {
        return new Tensor(DType.DOUBLE, shape.clone(), data);
    }

    public static Tensor ofBools(boolean[] values, int... shape) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return new Tensor(DType.BOOL, shape.clone(), b);
    }

    public static Tensor scalar(float v) {
        return new Tensor(DType.FLOAT, Shapes.SCALAR, new float[] {v});
    }

    public static Tensor scalarLong(long v) {
        return new Tensor(DType.INT64, Shapes.SCALAR, new long[] {v});
    }

    /** A 1-D INT64 tensor, the form ONNX uses for shapes and axes. */
    public static Tensor vector(long... values) {
        return new Tensor(DType.INT64, new int[] {values.length}, values.clone());
    }

    /** Builds a tensor of any type from double values (each converted as {@link #setDouble} does). */
    public static Tensor fromDoubles(DType dtype, double[] values, int... shape) {
        Tensor t = allocate(dtype, shape);
        for (int i = 0; i < values.length; i++) {
            t.setDouble(i, values[i]);
        }
        return t;
    }

    static Class<?> storageClass(DType t) {
        switch (t) {
            case FLOAT: case FLOAT16: case BFLOAT16: return float[].class;
            case DOUBLE: return double[].class;
            case INT8: case UINT8: case BOOL: return byte[].class;
            case INT16: case UINT16: return short[].class;
            case INT32: case UINT32: return int[].class;
            case INT64: case UINT64: return long[].class;
            default: throw new IllegalArgumentException("tensors of type " + t + " are not supported");
        }
    }

    static Object newStorage(DType t, int n) {
        switch (t) {
            case FLOAT: case FLOAT16: case BFLOAT16: return new float[n];
            case DOUBLE: return new double[n];
            case INT8: case UINT8: case BOOL: return new byte[n];
            case INT16: case UINT16: return new short[n];
            case INT32: case UINT32: return new int[n];
            case INT64: case UINT64: return new long[n];
            default: throw new IllegalArgumentException("tensors of type " + t + " are not supported");
        }
    }

    public DType dtype() {
        return dtype;
    }

    /** The shape array itself; callers must not modify it. */
    public int[] shape() {
        return shape;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int size() {
        return size;
    }

    /** The backing array (float[], double[], byte[], short[], int[] or long[]). */
    public Object data() {
        return data;
    }

    public float[] floats() {
        if (!(data instanceof float[])) {
            throw new IllegalStateException("expected a float tensor, found " + dtype);
        }
        return (float[]) data;
    }

    public double[] doubles() {
        if (!(data instanceof double[])) {
            throw new IllegalStateException("expected a double tensor, found " + dtype);
        }
        return (double[]) data;
    }

    public byte[] bytes() {
        if (!(data instanceof byte[])) {
            throw new IllegalStateException("expected an 8-bit or bool tensor, found " + dtype);
        }
        return (byte[]) data;
    }

    public short[] shorts() {
        if (!(data instanceof short[])) {
            throw new IllegalStateException("expected a 16-bit integer tensor, found " + dtype);
        }
        return (short[]) data;
    }

    public int[] ints() {
        if (!(data instanceof int[])) {
            throw new IllegalStateException("expected a 32-bit integer tensor, found " + dtype);
        }
        return (int[]) data;
    }

    public long[] longs() {
        if (!(data instanceof long[])) {
            throw new IllegalStateException("expected a 64-bit integer tensor, found " + dtype);
        }
        return (long[]) data;
    }

    /** Element i as a double (unsigned types read as unsigned, bool as 0/1). */
    public double getDouble(int i) {
        switch (dtype) {
            case FLOAT: case FLOAT16: case BFLOAT16: return ((float[]) data)[i];
            case DOUBLE: return ((double[]) data)[i];
            case UINT64: {
                long v = ((long[]) data)[i];
                return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            default: return getLong(i);
        }
    }

    public float getFloat(int i) {
        if (data instanceof float[]) {
            return ((float[]) data)[i];
        }
        return (float) getDouble(i);
    }

    /** Element i as a long (floating values truncated toward zero, unsigned types zero-extended). */
    public long getLong(int i) {
        switch (dtype) {
            case INT8: return ((byte[]) data)[i];
            case UINT8: case BOOL: return ((byte[]) data)[i] & 0xff;
            case INT16: return ((short[]) data)[i];
            case UINT16: return ((short[]) data)[i] & 0xffff;
            case INT32: return ((int[]) data)[i];
            case UINT32: return ((int[]) data)[i] & 0xffffffffL;
            case INT64: case UINT64: return ((long[]) data)[i];
            case FLOAT: case FLOAT16: case BFLOAT16: return (long) ((float[]) data)[i];
            case DOUBLE: return (long) ((double[]) data)[i];
            default: throw new IllegalStateException("unsupported type " + dtype);
        }
    }

    public boolean getBool(int i) {
        switch (dtype) {
            case FLOAT: case FLOAT16: case BFLOAT16: return ((float[]) data)[i] != 0f;
            case DOUBLE: return ((double[]) data)[i] != 0d;
            default: return getLong(i) != 0;
        }
    }

    /**
     * Stores v converted to this tensor's type: rounded to the nearest representable value for
     * half types, truncated toward zero and wrapped for integer types, v != 0 for bool.
     */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT: ((float[]) data)[i] = (float) v; break;
            case FLOAT16: ((float[]) data)[i] = Half.round((float) v); break;
            case BFLOAT16: ((float[]) data)[i] = Half.bf16Round((float) v); break;
            case DOUBLE: ((double[]) data)[i] = v; break;
            case BOOL: ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0); break;
            case UINT64: ((long[]) data)[i] = doubleToUnsignedLong(v); break;
            default: setLong(i, doubleToLong(v));
        }
    }

    private static long doubleToLong(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return (long) v;
    }

    private static long doubleToUnsignedLong(double v) {
        if (v >= 0x1p63) {
            return (long) (v - 0x1p63) ^ Long.MIN_VALUE;
        }
        return doubleToLong(v);
    }

    /** Stores v converted to this tensor's type (wrapping for narrow integers, v != 0 for bool). */
    public void setLong(int i, long v) {
        switch (dtype) {
            case INT8: case UINT8: ((byte[]) data)[i] = (byte) v; break;
            case BOOL: ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0); break;
            case INT16: case UINT16: ((short[]) data)[i] = (short) v; break;
            case INT32: case UINT32: ((int[]) data)[i] = (int) v; break;
            case INT64: case UINT64: ((long[]) data)[i] = v; break;
            case FLOAT: ((float[]) data)[i] = (float) v; break;
            case FLOAT16: ((float[]) data)[i] = Half.round((float) v); break;
            case BFLOAT16: ((float[]) data)[i] = Half.bf16Round((float) v); break;
            case DOUBLE: ((double[]) data)[i] = v; break;
            default: throw new IllegalStateException("unsupported type " + dtype);
        }
    }

    /** A tensor with the same data and a new shape of the same element count. */
    public Tensor reshape(int... newShape) {
        if (Shapes.size(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.toString(shape) + " to "
                    + Shapes.toString(newShape));
        }
        return new Tensor(dtype, newShape.clone(), data);
    }

    /** A deep copy (exactly {@link #size()} elements). */
    public Tensor copy() {
        Object d = newStorage(dtype, size);
        System.arraycopy(data, 0, d, 0, size);
        return new Tensor(dtype, shape.clone(), d);
    }

    /**
     * Gathers elements by flat source index: element i of the result is element {@code index[i]} of
     * this tensor. The common core of data-movement kernels (Transpose, Slice, Gather, Tile...).
     */
    public Tensor gather(int[] index, int[] newShape) {
        int n = Shapes.size(newShape);
        Object d = newStorage(dtype, n);
        switch (dtype) {
            case FLOAT: case FLOAT16: case BFLOAT16: {
                float[] s = (float[]) data, o = (float[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
                break;
            }
            case DOUBLE: {
                double[] s = (double[]) data, o = (double[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
                break;
            }
            case INT8: case UINT8: case BOOL: {
                byte[] s = (byte[]) data, o = (byte[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
                break;
            }
            case INT16: case UINT16: {
                short[] s = (short[]) data, o = (short[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
                break;
            }
            case INT32: case UINT32: {
                int[] s = (int[]) data, o = (int[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
                break;
            }
            default: {
                long[] s = (long[]) data, o = (long[]) d;
                for (int i = 0; i < n; i++) o[i] = s[index[i]];
            }
        }
        return new Tensor(dtype, newShape.clone(), d);
    }

    /** Copies {@code count} elements from src[srcPos] to this[dstPos]; both must have the same storage. */
    public void copyFrom(Tensor src, int srcPos, int dstPos, int count) {
        System.arraycopy(src.data, srcPos, data, dstPos, count);
    }

    /** Converts to another element type with ONNX Cast semantics for numeric types. */
    public Tensor castTo(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor out = allocate(target, shape);
        if (dtype.isFloatingPoint() || target.isFloatingPoint() || target == DType.BOOL) {
            if (target == DType.BOOL) {
                for (int i = 0; i < size; i++) out.setLong(i, getBool(i) ? 1 : 0);
            } else if (dtype.isFloatingPoint()) {
                for (int i = 0; i < size; i++) out.setDouble(i, getDouble(i));
            } else if (dtype == DType.UINT64) {
                for (int i = 0; i < size; i++) out.setDouble(i, getDouble(i));
            } else {
                for (int i = 0; i < size; i++) out.setDouble(i, (double) getLong(i));
            }
        } else {
            for (int i = 0; i < size; i++) out.setLong(i, getLong(i));
        }
        return out;
    }

    /** Values as float32 (a copy unless this is already a float32 tensor). */
    public float[] toFloatArray() {
        if (dtype == DType.FLOAT) {
            return (float[]) data;
        }
        float[] f = new float[size];
        for (int i = 0; i < size; i++) f[i] = (float) getDouble(i);
        return f;
    }

    /** Values as long (a copy unless this is already an int64 tensor). */
    public long[] toLongArray() {
        if (dtype == DType.INT64 && ((long[]) data).length == size) {
            return (long[]) data;
        }
        long[] v = new long[size];
        for (int i = 0; i < size; i++) v[i] = getLong(i);
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("Tensor<").append(dtype).append(">").append(Shapes.toString(shape));
        int n = Math.min(size, 8);
        sb.append(" [");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dtype.isFloatingPoint() ? String.valueOf(getDouble(i)) : String.valueOf(getLong(i)));
        }
        if (size > n) sb.append(", ...");
        return sb.append(']').toString();
    }

    /** Exact equality of type, shape and values (NaN equals NaN). */
    public boolean sameAs(Tensor o) {
        if (o.dtype != dtype || !Arrays.equals(o.shape, shape)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (dtype.isFloatingPoint()) {
                if (Double.compare(getDouble(i), o.getDouble(i)) != 0) return false;
            } else if (getLong(i) != o.getLong(i)) {
                return false;
            }
        }
        return true;
    }
}
