package dev.kiln.core.ir;

import dev.kiln.runtime.tensor.DType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Element type and (possibly partial) shape of a value. A null dims list means the rank is unknown. */
public final class TensorType {
    private final DType dtype;
    private final Dim[] dims;

    public TensorType(DType dtype, Dim[] dims) {
        this.dtype = dtype;
        this.dims = dims == null ? null : dims.clone();
    }

    public static TensorType of(DType dtype, int... shape) {
        Dim[] d = new Dim[shape.length];
        for (int i = 0; i < shape.length; i++) {
            d[i] = shape[i] < 0 ? Dim.UNKNOWN : Dim.of(shape[i]);
        }
        return new TensorType(dtype, d);
    }

    public static TensorType of(DType dtype, List<Dim> dims) {
        return new TensorType(dtype, dims.toArray(new Dim[0]));
    }

    /** Known element type, unknown rank. */
    public static TensorType unranked(DType dtype) {
        return new TensorType(dtype, null);
    }

    /** Nothing known. */
    public static TensorType unknown() {
        return new TensorType(null, null);
    }

    /** Element type, or null when unknown. */
    public DType dtype() {
        return dtype;
    }

    public boolean hasRank() {
        return dims != null;
    }

    public int rank() {
        if (dims == null) {
            throw new IllegalStateException("rank is unknown");
        }
        return dims.length;
    }

    public Dim dim(int i) {
        return dims[i];
    }

    public Dim[] dims() {
        return dims == null ? null : dims.clone();
    }

    /** True when the rank and every dimension are known numbers. */
    public boolean isStatic() {
        if (dims == null) {
            return false;
        }
        for (Dim d : dims) {
            if (!d.isKnown()) {
                return false;
            }
        }
        return true;
    }

    /** The shape as numbers; only for static types. */
    public int[] shape() {
        if (!isStatic()) {
            throw new IllegalStateException("shape " + this + " is not static");
        }
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = (int) dims[i].value();
        }
        return s;
    }

    /** The shape with -1 for unknown dims; null when the rank is unknown. */
    public int[] shapeOrUnknown() {
        if (dims == null) {
            return null;
        }
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i].isKnown() ? (int) dims[i].value() : -1;
        }
        return s;
    }

    public TensorType withDtype(DType t) {
        return new TensorType(t, dims);
    }

    public TensorType withDims(Dim[] d) {
        return new TensorType(dtype, d);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorType)) {
            return false;
        }
        TensorType t = (TensorType) o;
        return dtype == t.dtype && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(dims));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dtype == null ? "?" : dtype.displayName());
        if (dims == null) {
            return sb.append("[*]").toString();
        }
        sb.append('[');
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
