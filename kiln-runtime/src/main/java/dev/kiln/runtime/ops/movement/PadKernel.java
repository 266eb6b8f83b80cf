package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Pad: adds pads[d] elements before and pads[d + rank] after each dim (negative pads crop first).
 * Modes: constant (the value), reflect (mirror without repeating the edge), edge (repeat the edge),
 * wrap (opset 19, periodic). Opsets 2-10 take pads and value as attributes; from opset 11 they are
 * inputs (constant_value optional, of the data's type), and opset 18 adds the optional axes input
 * that says which dims the pads are for.
 */
public final class PadKernel extends NamedFactory {
    public static final PadKernel INSTANCE = new PadKernel();

    private PadKernel() {
        super("Pad", 76);
    }

    /** What fills the added elements. */
    public enum Mode { CONSTANT, REFLECT, EDGE, WRAP }

    /** The mode attribute, checked against the opset. */
    public static Mode mode(KernelContext ctx) {
        String m = ctx.attrs().getString("mode", "constant");
        switch (m) {
            case "constant": return Mode.CONSTANT;
            case "reflect": return Mode.REFLECT;
            case "edge": return Mode.EDGE;
            case "wrap":
                if (ctx.opset() < 19) {
                    throw ctx.error("mode 'wrap' needs opset 19 or later; the model uses opset " + ctx.opset());
                }
                return Mode.WRAP;
            default:
                throw ctx.error("mode must be constant, reflect, edge or wrap; found '" + m + "'");
        }
    }

    /** The attribute pads (opsets before 11; opset 1 called it paddings), or null. */
    public static long[] padsAttr(KernelContext ctx) {
        if (ctx.opset() >= 11) {
            return null;
        }
        long[] p = ctx.attrs().getInts("pads", ctx.attrs().getInts("paddings", null));
        if (p == null) {
            throw ctx.error("needs the pads attribute at opset " + ctx.opset());
        }
        return p;
    }

    /** Pads for every dim ([begin..., end...], 2 * rank entries) from pads given for some axes. */
    public static long[] fullPads(long[] pads, long[] axes, int rank) {
        if (axes == null) {
            if (pads.length != 2 * rank) {
                throw new IllegalArgumentException("pads has " + pads.length + " entries; expected " + 2 * rank
                        + " for an input of rank " + rank);
            }
            return pads;
        }
        if (pads.length != 2 * axes.length) {
            throw new IllegalArgumentException("pads has " + pads.length + " entries; expected " + 2 * axes.length
                    + " for axes " + Arrays.toString(axes));
        }
        int[] a = ShapeArgs.axes(axes, rank, "axes");
        long[] full = new long[2 * rank];
        for (int i = 0; i < a.length; i++) {
            full[a[i]] = pads[i];
            full[a[i] + rank] = pads[i + a.length];
        }
        return full;
    }

    /** Output size of a dim of size d padded by b before and e after. */
    public static int outDim(long d, long b, long e) {
        long o = d + b + e;
        if (o < 0) {
            throw new IllegalArgumentException("pads " + b + ", " + e + " would make a dimension of " + d
                    + " negative");
        }
        return ShapeArgs.dimSize(o, "padded dimension");
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Mode mode = mode(ctx);
        long[] fixedPads = padsAttr(ctx);
        float attrValue = ctx.attrs().getFloat("value", 0f);
        boolean axesInput = ctx.opset() >= 18;
        return (in, ec) -> {
            Tensor x = in[0];
            long[] pads = fixedPads;
            long[] axes = null;
            Tensor fill = Tensor.allocate(x.dtype(), 1);
            if (pads == null) {
                pads = ShapeArgs.longs(in[1], "pads");
                if (in.length > 2 && in[2] != null) {
                    Tensor v = ShapeArgs.requireSingle(in[2], "constant_value");
                    if (v.dtype() == x.dtype()) {
                        fill.copyFrom(v, 0, 0, 1);
                    } else if (x.dtype().isFloatingPoint()) {
                        fill.setDouble(0, v.getDouble(0));
                    } else {
                        fill.setLong(0, v.getLong(0));
                    }
                }
                if (axesInput && in.length > 3 && in[3] != null) {
                    axes = ShapeArgs.longs(in[3], "axes");
                }
            } else {
                fill.setDouble(0, attrValue);
            }
            return new Tensor[] {pad(x, fullPads(pads, axes, x.rank()), mode, fill, ec)};
        };
    }

    private static Tensor pad(Tensor x, long[] pads, Mode mode, Tensor fill, ExecContext ec) {
        int[] shape = x.shape();
        int rank = shape.length;
        int[] st = Shapes.strides(shape);
        int[] out = new int[rank];
        int[][] offsets = new int[rank][];
        for (int d = 0; d < rank; d++) {
            long b = pads[d];
            long e = pads[d + rank];
            out[d] = outDim(shape[d], b, e);
            // negative pads crop: the region [lo, lo + len) of the input is what gets padded
            int lo = (int) Math.max(0, -b);
            long len = shape[d] + Math.min(b, 0) + Math.min(e, 0);
            int before = (int) Math.max(b, 0);
            if (len <= 0 && out[d] > 0 && mode != Mode.CONSTANT) {
                throw new IllegalArgumentException("cannot pad an empty dimension (dim " + d + ") in "
                        + mode.name().toLowerCase() + " mode");
            }
            int[] o = new int[out[d]];
            for (int i = 0; i < o.length; i++) {
                long q = i - before;
                long src;
                switch (mode) {
                    case CONSTANT:
                        src = q >= 0 && q < len ? q : -1;
                        break;
                    case EDGE:
                        src = Math.max(0, Math.min(len - 1, q));
                        break;
                    case REFLECT:
                        src = reflect(q, len);
                        break;
                    default:
                        src = Math.floorMod(q, len);
                }
                o[i] = src < 0 ? -1 : (int) ((lo + src) * st[d]);
            }
            offsets[d] = o;
        }
        return Movement.gather(x, out, offsets, isZero(fill) ? null : fill, ec.parallel());
    }

    /** True when the one-element tensor holds +0 (the value a fresh tensor already has). */
    private static boolean isZero(Tensor t) {
        if (t.dtype().isFloatStorage()) {
            return Float.floatToRawIntBits(t.floats()[0]) == 0;
        }
        if (t.dtype() == DType.DOUBLE) {
            return Double.doubleToRawLongBits(t.doubles()[0]) == 0;
        }
        return t.getLong(0) == 0;
    }

    /** Index q reflected into [0, len) without repeating the edge (period 2 * (len - 1)). */
    private static long reflect(long q, long len) {
        if (len == 1) {
            return 0;
        }
        long period = 2 * (len - 1);
        long r = Math.floorMod(q, period);
        return r < len ? r : period - r;
    }
}
