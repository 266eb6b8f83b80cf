package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Reading quantization parameters (scales and zero points) and their granularity for the
 * quantized operators: value ranges of the integer types, parameters as plain arrays, and the
 * per-tensor / per-axis / blocked layout of QuantizeLinear and DequantizeLinear.
 */
public final class QuantParams {
    private QuantParams() {
    }

    /** True for the integer types quantized tensors may have. */
    static boolean isQuantType(DType t) {
        return t == DType.INT8 || t == DType.UINT8 || t == DType.INT16 || t == DType.UINT16;
    }

    static boolean is8Bit(DType t) {
        return t == DType.INT8 || t == DType.UINT8;
    }

    /** Lowest value of an integer type (int8, uint8, int16, uint16, int32). */
    public static int lo(DType t) {
        switch (t) {
            case INT8: return QuantMath.INT8_MIN;
            case UINT8: return QuantMath.UINT8_MIN;
            case INT16: return QuantMath.INT16_MIN;
            case UINT16: return QuantMath.UINT16_MIN;
            case INT32: return Integer.MIN_VALUE;
            default: throw new IllegalArgumentException(t + " is not a quantized integer type");
        }
    }

    /** Highest value of an integer type (int8, uint8, int16, uint16, int32). */
    public static int hi(DType t) {
        switch (t) {
            case INT8: return QuantMath.INT8_MAX;
            case UINT8: return QuantMath.UINT8_MAX;
            case INT16: return QuantMath.INT16_MAX;
            case UINT16: return QuantMath.UINT16_MAX;
            case INT32: return Integer.MAX_VALUE;
            default: throw new IllegalArgumentException(t + " is not a quantized integer type");
        }
    }

    /** Scale values as float32 (float16/bfloat16 scales are exact in float32). */
    static float[] floats(Tensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = t.getFloat(i);
        }
        return f;
    }

    /** Integer values (zero points, operands) as int, unsigned types read as unsigned. */
    static int[] ints(Tensor t) {
        int[] v = new int[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) t.getLong(i);
        }
        return v;
    }

    /** Fails unless t is a scalar or a one-element 1-D tensor. */
    static void requireScalar(Tensor t, String what) {
        if (t.rank() > 1 || t.size() != 1) {
            throw new IllegalArgumentException(what + " must be a scalar (or a 1-element 1-D tensor), found shape "
                    + Shapes.toString(t.shape()));
        }
    }

    /** Fails unless t has one of the given element types. */
    static void requireType(Tensor t, String what, DType... allowed) {
        for (DType a : allowed) {
            if (t.dtype() == a) {
                return;
            }
        }
        throw new IllegalArgumentException(what + " must be " + Arrays.toString(allowed) + ", found " + t.dtype());
    }

    /**
     * Where each element of a tensor finds its scale and zero point, the tensor viewed as
     * [outer, channels, inner] around the quantization axis.
     */
    static final class Layout {
        final int outer;
        final int channels;
        final int inner;
        /** 0 for per-tensor and per-axis; the block length along the axis for blocked quantization. */
        final int block;
        final boolean perTensor;

        private Layout(int outer, int channels, int inner, int block, boolean perTensor) {
            this.outer = outer;
            this.channels = channels;
            this.inner = inner;
            this.block = block;
            this.perTensor = perTensor;
        }

        /** A run of n consecutive elements from flat position pos whose first parameter is param. */
        interface Run {
            void accept(int pos, int n, int param);
        }

        /**
         * Splits elements [from, to) into runs within one row (o, c). In a per-tensor or per-axis
         * run every element uses {@code param}; in a blocked run element pos + k uses param + k.
         */
        void forEachRun(int from, int to, Run run) {
            int i = from;
            while (i < to) {
                int r = i / inner;
                int rowStart = r * inner;
                int end = Math.min(to, rowStart + inner);
                int p = rowParam(r / channels, r % channels);
                run.accept(i, end - i, block == 0 ? p : p + (i - rowStart));
                i = end;
            }
        }

        boolean blocked() {
            return block != 0;
        }

        /** Parameter index of the first element of row (o, c); blocked rows continue with + i. */
        int rowParam(int o, int c) {
            if (perTensor) {
                return 0;
            }
            if (block == 0) {
                return c;
            }
            int blocks = (channels + block - 1) / block;
            return (o * blocks + c / block) * inner;
        }
    }

    /**
     * The granularity ONNX Runtime derives from the parameter shapes: a scalar (or one-element)
     * scale is per-tensor whatever the axis; with block_size 0 a 1-D scale of length
     * x.shape[axis] is per-axis; with block_size &gt; 0 the scale has x's rank and
     * ceil(x.shape[axis] / block_size) along the axis.
     */
    static Layout layout(int[] xShape, Tensor scale, Tensor zeroPoint, long axis, long blockSize) {
        if (zeroPoint != null && !Arrays.equals(zeroPoint.shape(), scale.shape())
                && !(scale.size() == 1 && zeroPoint.size() == 1 && scale.rank() <= 1 && zeroPoint.rank() <= 1)) {
            throw new IllegalArgumentException("the zero point must have the scale's shape "
                    + Shapes.toString(scale.shape()) + ", found " + Shapes.toString(zeroPoint.shape()));
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("block_size must be >= 0, found " + blockSize);
        }
        if (scale.rank() <= 1 && scale.size() == 1) {
            if (blockSize != 0) {
                throw new IllegalArgumentException("block_size must be 0 for a per-tensor (scalar) scale, found "
                        + blockSize);
            }
            return new Layout(1, 1, Shapes.size(xShape), 0, true);
        }
        int rank = xShape.length;
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for an input of rank " + rank);
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int outer = Shapes.product(xShape, 0, a);
        int channels = xShape[a];
        int inner = Shapes.product(xShape, a + 1, rank);
        if (blockSize == 0) {
            if (scale.rank() != 1 || scale.dim(0) != channels) {
                throw new IllegalArgumentException("a per-axis scale must be 1-D of length " + channels + " (input "
                        + Shapes.toString(xShape) + ", axis " + a + "), found shape " + Shapes.toString(scale.shape()));
            }
            return new Layout(outer, channels, inner, 0, false);
        }
        int[] want = xShape.clone();
        want[a] = (int) ((channels + blockSize - 1) / blockSize);
        if (!Arrays.equals(scale.shape(), want)) {
            throw new IllegalArgumentException("a blocked scale (block_size " + blockSize + ", axis " + a + ") must have shape "
                    + Shapes.toString(want) + ", found " + Shapes.toString(scale.shape()));
        }
        return new Layout(outer, channels, inner, (int) blockSize, false);
    }
}
