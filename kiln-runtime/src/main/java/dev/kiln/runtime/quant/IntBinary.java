package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.Broadcast;
import dev.kiln.runtime.kernels.Simd;

/**
 * Integer elementwise Add, Sub and Mul with numpy broadcasting (SPEC section 8): inputs a, b
 * (int8/int16 values with scales s_a, s_b), output with scale s_y, each computed in float32 in a
 * fixed order and rounded half to even:
 * <ul>
 *   <li>add: {@code (float) a * (s_a / s_y) + (float) b * (s_b / s_y)}</li>
 *   <li>sub: {@code (float) a * (s_a / s_y) - (float) b * (s_b / s_y)}</li>
 *   <li>mul: {@code (float) (a * b) * (s_a * s_b / s_y)}</li>
 * </ul>
 * then clamped to [lo, hi] (a fused Relu raises lo).
 *
 * <p>{@link #reference} is the element-generic formulation. int8 operands with an int8 output take
 * {@link #runBytes}: one loop per kind over each broadcast run, the Vector API version
 * ({@link IntBinaryVector}, chosen by {@link Simd}) for whole vectors and the scalar loop for the rest.
 */
public final class IntBinary {
    public enum Kind {
        ADD, SUB, MUL
    }

    private final Kind kind;
    private final float ma;
    private final float mb;
    private final float mab;

    public IntBinary(Kind kind, float sa, float sb, float sy) {
        this.kind = kind;
        this.ma = sa / sy;
        this.mb = sb / sy;
        this.mab = sa * sb / sy;
    }

    /** Reads int8 (ab/bb) or int16 (as/bs) operands; writes int8 (yb) or int16 (ys). */
    public void run(byte[] ab, short[] as, int[] shapeA, byte[] bb, short[] bs, int[] shapeB, byte[] yb, short[] ys,
                    int[] shapeY, int lo, int hi) {
        if (ab != null && bb != null && yb != null) {
            Broadcast.forEach(shapeA, shapeB, shapeY, (o, ia, sa, ib, sb, n) -> runBytes(ab, ia, sa, bb, ib, sb, yb, o, n,
                    lo, hi, Simd.ENABLED));
        } else {
            reference(ab, as, shapeA, bb, bs, shapeB, yb, ys, shapeY, lo, hi);
        }
    }

    /** The reference: every element through the same generic loop. */
    public void reference(byte[] ab, short[] as, int[] shapeA, byte[] bb, short[] bs, int[] shapeB, byte[] yb,
                          short[] ys, int[] shapeY, int lo, int hi) {
        Broadcast.forEach(shapeA, shapeB, shapeY, (o, ia, sa, ib, sb, n) -> {
            for (int k = 0; k < n; k++) {
                int a = ab != null ? ab[ia + k * sa] : as[ia + k * sa];
                int b = bb != null ? bb[ib + k * sb] : bs[ib + k * sb];
                float v;
                switch (kind) {
                    case ADD: v = (float) a * ma + (float) b * mb; break;
                    case SUB: v = (float) a * ma - (float) b * mb; break;
                    default: v = (float) (a * b) * mab;
                }
                int q = QuantMath.roundClamp(v, lo, hi);
                if (yb != null) {
                    yb[o + k] = (byte) q;
                } else {
                    ys[o + k] = (short) q;
                }
            }
        });
    }

    /**
     * One broadcast run of int8 operands into int8: y[o + k] from a[ia + k*sa] and b[ib + k*sb],
     * k in [0, n), strides 0 or 1; {@code vector} allows the Vector API loop.
     */
    public void runBytes(byte[] a, int ia, int sa, byte[] b, int ib, int sb, byte[] y, int o, int n, int lo, int hi,
                         boolean vector) {
        int done = 0;
        if (vector && IntBinaryVector.USABLE && n >= IntBinaryVector.L && (sa | sb) != 0) {
            done = kind == Kind.MUL ? IntBinaryVector.mul(mab, a, ia, sa, b, ib, sb, y, o, n, lo, hi)
                    : IntBinaryVector.add(kind == Kind.SUB, ma, mb, a, ia, sa, b, ib, sb, y, o, n, lo, hi);
        }
        switch (kind) {
            case ADD:
                for (int k = done; k < n; k++) {
                    y[o + k] = (byte) QuantMath.roundClamp((float) a[ia + k * sa] * ma + (float) b[ib + k * sb] * mb, lo, hi);
                }
                break;
            case SUB:
                for (int k = done; k < n; k++) {
                    y[o + k] = (byte) QuantMath.roundClamp((float) a[ia + k * sa] * ma - (float) b[ib + k * sb] * mb, lo, hi);
                }
                break;
            default:
                for (int k = done; k < n; k++) {
                    y[o + k] = (byte) QuantMath.roundClamp((float) (a[ia + k * sa] * b[ib + k * sb]) * mab, lo, hi);
                }
        }
    }
}
