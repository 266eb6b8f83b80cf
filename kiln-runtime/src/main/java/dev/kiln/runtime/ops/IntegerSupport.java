package dev.kiln.runtime.ops;

import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** Small shared pieces of the operators' integer kernels: storage access, range limits, multipliers. */
public final class IntegerSupport {
    private IntegerSupport() {
    }

    public static boolean isInt8Or16(DType t) {
        return t == DType.INT8 || t == DType.INT16;
    }

    public static byte[] bytesOrNull(Tensor t) {
        return t.dtype() == DType.INT8 ? t.bytes() : null;
    }

    public static short[] shortsOrNull(Tensor t) {
        return t.dtype() == DType.INT16 ? t.shorts() : null;
    }

    /** A new int8/int16 tensor of the given shape. */
    public static Tensor allocate(DType t, int[] shape) {
        return Tensor.allocateForOverwrite(t, shape);
    }

    /** Per-output-channel requantization multipliers s_x * s_w[c] / s_y (float32, in that order). */
    public static float[] multipliers(float sx, float[] sw, float sy, int channels) {
        float[] m = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = QuantMath.requantMultiplier(sx, sw.length == 1 ? sw[0] : sw[c], sy);
        }
        return m;
    }

    /** int32 bias values, or null. */
    public static int[] biasValues(Tensor bias) {
        return bias == null ? null : bias.ints();
    }

    /** Element i of an int8/int16 tensor. */
    public static int get(Tensor t, int i) {
        return t.dtype() == DType.INT8 ? t.bytes()[i] : t.shorts()[i];
    }

    public static void set(Tensor t, int i, int v) {
        if (t.dtype() == DType.INT8) {
            t.bytes()[i] = (byte) v;
        } else {
            t.shorts()[i] = (short) v;
        }
    }
}
