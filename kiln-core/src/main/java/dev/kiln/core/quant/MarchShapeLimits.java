package dev.kiln.core.quant;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.Arrays;

import static dev.kiln.core.quant.NodeGeometry.dims;
import static dev.kiln.core.quant.NodeGeometry.inputShape;
import static dev.kiln.core.quant.NodeGeometry.isPowerOfTwo;
import static dev.kiln.core.quant.NodeGeometry.outputShape;

/**
 * March limits on how an operator's shapes relate (resize factors, broadcasting, matrix products,
 * padded axes, reduced axes): the rest of the vocabulary of {@link MarchLimit}.
 */
final class MarchShapeLimits {
    private MarchShapeLimits() {
    }

    /** Resize only along H and W of a 4-D NCHW tensor. */
    static MarchLimit resizeOnlyHW(String op) {
        return new MarchLimit(op, "4-D input, resized along H and W only", n -> {
            int[] in = inputShape(n, 0);
            int[] out = outputShape(n);
            if (in == null || out == null) {
                return null;
            }
            if (in.length != 4) {
                return op + " input " + dims(in) + " is not 4-D";
            }
            return in[0] != out[0] || in[1] != out[1] ? op + " resizes N or C (" + dims(in) + " to " + dims(out) + ")" : null;
        });
    }

    /** Nearest upscaling by powers of two, the H factor at most the W factor. */
    static MarchLimit resizeNearestFactors(String op) {
        return new MarchLimit(op, "nearest upscale factors powers of two, H factor <= W factor", n -> {
            int[] in = inputShape(n, 0);
            int[] out = outputShape(n);
            if (in == null || out == null || in.length != 4 || out.length != 4
                    || !n.attrs().getString("mode", "nearest").equals("nearest")) {
                return null;
            }
            int[] f = new int[2];
            for (int i = 0; i < 2; i++) {
                int a = in[2 + i];
                int b = out[2 + i];
                if (b < a) {
                    return null; // downscaling: no factor limit published
                }
                if (b % a != 0 || !isPowerOfTwo(b / a)) {
                    return op + " nearest factor " + dims(in) + " to " + dims(out) + " is not a power of two";
                }
                f[i] = b / a;
            }
            return f[0] > f[1] ? op + " nearest factor " + dims(f) + " has H above W" : null;
        });
    }

    /**
     * The operands of a binary operator: equal 4-D shapes, or (perChannel) NCHW with NxCx1x1, or a
     * single-element operand (a scalar folds into the requantization; Kiln's reading, the X3 list
     * names 1x1x1x1 for Mul only).
     */
    static MarchLimit broadcastLimited(String op, boolean perChannel) {
        String forms = "equal 4-D shapes" + (perChannel ? ", NxCx1x1" : "") + ", one element";
        return new MarchLimit(op, "operand shapes: " + forms, n -> {
            int[] a = inputShape(n, 0);
            int[] b = inputShape(n, 1);
            if (a == null || b == null) {
                return null;
            }
            if (b.length > a.length) {
                int[] t = a;
                a = b;
                b = t;
            }
            if (Arrays.equals(a, b) && a.length == 4 || NodeGeometry.product(b) == 1) {
                return null;
            }
            boolean ok = perChannel && a.length == 4 && b.length == 4 && b[2] == 1 && b[3] == 1 && b[1] == a[1];
            return ok ? null : op + " operands " + dims(a) + " and " + dims(b) + " are not " + forms;
        });
    }

    /** Two feature maps multiplied only as 1xBxMxK by 1x1xKxN. */
    static MarchLimit matMulFeatureMaps(String op) {
        return new MarchLimit(op, "two feature maps only as 1xBxMxK x 1x1xKxN", n -> {
            if (n.inputCount() < 2 || isConst(n.input(0)) || isConst(n.input(1))) {
                return null;
            }
            int[] a = inputShape(n, 0);
            int[] b = inputShape(n, 1);
            if (a == null || b == null) {
                return null;
            }
            boolean ok = a.length == 4 && b.length == 4 && a[0] == 1 && b[0] == 1 && b[1] == 1;
            return ok ? null : op + " of feature maps " + dims(a) + " x " + dims(b) + " is not 1xBxMxK x 1x1xKxN";
        });
    }

    /** The two lowest dims of both operands at most {@code max}. */
    static MarchLimit matrixDimsAtMost(String op, int max) {
        return new MarchLimit(op, "M, K, N <= " + max, n -> {
            for (int i = 0; i < 2; i++) {
                int[] s = inputShape(n, i);
                if (s != null && s.length >= 2 && Math.max(s[s.length - 1], s[s.length - 2]) > max) {
                    return op + " operand " + dims(s) + " exceeds " + max + " in its matrix dims";
                }
            }
            return null;
        });
    }

    /** Gemm's reduced dimension K at most {@code max}. */
    static MarchLimit gemmInputFeaturesAtMost(String op, int max) {
        return new MarchLimit(op, "input features <= " + max, n -> {
            int[] a = inputShape(n, 0);
            if (a == null || a.length != 2) {
                return null;
            }
            int k = n.attrs().getInt("transA", 0) != 0 ? a[0] : a[1];
            return k > max ? op + " input features " + k + " exceed " + max : null;
        });
    }

    /** Constant-mode padding of H and W only (4-D input). */
    static MarchLimit padOnlyHW(String op) {
        return new MarchLimit(op, "mode constant, H and W padded only", n -> {
            String mode = n.attrs().getString("mode", "constant");
            if (!mode.equals("constant")) {
                return op + " mode " + mode + " is not constant";
            }
            long[] pads = n.inputCount() > 1 && isConst(n.input(1))
                    ? longs(n.input(1)) : n.attrs().getInts("pads", null);
            int[] s = inputShape(n, 0);
            if (pads == null || s == null || n.inputCount() > 3 && n.input(3) != null) {
                return null;
            }
            int r = pads.length / 2;
            if (r != 4) {
                return op + " of a " + r + "-D tensor is not 4-D";
            }
            return pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
                    ? op + " pads N or C (" + Arrays.toString(pads) + ")" : null;
        });
    }

    /** Reduction along one axis with keepdims=1. */
    static MarchLimit reduceOneAxisKept(String op) {
        return new MarchLimit(op, "one axis, keepdims = 1", n -> {
            long[] axes = n.inputCount() > 1 && isConst(n.input(1)) ? longs(n.input(1)) : n.attrs().getInts("axes", null);
            if (n.attrs().getInt("keepdims", 1) != 1) {
                return op + " keepdims 0 is not 1";
            }
            return axes == null || axes.length != 1 ? op + " reduces " + (axes == null ? "all" : axes.length) + " axes, not 1"
                    : null;
        });
    }

    private static boolean isConst(Value v) {
        return v != null && v.isConstant();
    }

    private static long[] longs(Value v) {
        var t = v.constant().tensor();
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) t.getDouble(i);
        }
        return out;
    }
}
