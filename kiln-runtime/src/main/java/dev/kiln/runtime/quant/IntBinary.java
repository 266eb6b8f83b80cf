package dev.kiln.runtime.quant;

import dev.kiln.runtime.kernels.Broadcast;

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
}
