package dev.kiln.core.quant;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;

import static dev.kiln.core.quant.NodeGeometry.channels;
import static dev.kiln.core.quant.NodeGeometry.dilations;
import static dev.kiln.core.quant.NodeGeometry.dims;
import static dev.kiln.core.quant.NodeGeometry.inputShape;
import static dev.kiln.core.quant.NodeGeometry.kernel;
import static dev.kiln.core.quant.NodeGeometry.max;
import static dev.kiln.core.quant.NodeGeometry.min;
import static dev.kiln.core.quant.NodeGeometry.outputShape;
import static dev.kiln.core.quant.NodeGeometry.product;
import static dev.kiln.core.quant.NodeGeometry.square;
import static dev.kiln.core.quant.NodeGeometry.strides;
import static dev.kiln.core.quant.NodeGeometry.tail;

/**
 * One parameter limit of a march profile: the operator it applies to, the rule as printed in the
 * profile's table, and the check, which returns the reason a node breaks the rule (naming the
 * value found and the limit, e.g. "Conv kernel 9x9 exceeds 7x7") or null. The static factories
 * are the vocabulary the profile tables are written in.
 */
public record MarchLimit(String opType, String rule, Function<Node, String> check) {
    /** Why n breaks this limit, or null when it meets it (or the value is unknown). */
    public String violation(Node n) {
        return check.apply(n);
    }

    /** Spatial kernel dims at most {@code max}. */
    public static MarchLimit kernelAtMost(String op, int max) {
        return new MarchLimit(op, "kernel H,W <= " + max, n -> {
            int[] k = kernel(n);
            return k != null && max(k) > max ? op + " kernel " + dims(k) + " exceeds " + square(max, k.length) : null;
        });
    }

    /** Spatial kernel dims at least {@code min}. */
    public static MarchLimit kernelAtLeast(String op, int min) {
        return new MarchLimit(op, "kernel H,W >= " + min, n -> {
            int[] k = kernel(n);
            return k != null && min(k) < min ? op + " kernel " + dims(k) + " is below " + square(min, k.length) : null;
        });
    }

    /** Input and output channels (dim 1 of 4-D NCHW tensors) at most {@code max}. */
    public static MarchLimit channelsAtMost(String op, int max) {
        return new MarchLimit(op, "input and output channels (4-D) <= " + max, n -> {
            int in = channels(nchw(inputShape(n, 0)));
            int out = channels(nchw(outputShape(n)));
            if (in > max) {
                return op + " input channels " + in + " exceed " + max;
            }
            return out > max ? op + " output channels " + out + " exceed " + max : null;
        });
    }

    /** Kernel H x W x input channels per group at most {@code max}. */
    public static MarchLimit kernelVolumeAtMost(String op, int max) {
        return new MarchLimit(op, "kernel H x W x input channels per group <= " + max, n -> {
            int[] w = tail(inputShape(n, 1), 1);
            long volume = w == null || w.length < 2 ? 0 : product(w);
            return volume > max ? op + " kernel " + dims(tail(w, 1)) + "x" + w[0] + " = " + volume + " exceeds " + max
                    + " (H x W x input channels per group)" : null;
        });
    }

    public static MarchLimit dilationPowerOfTwo(String op) {
        return new MarchLimit(op, "dilation a power of two", n -> {
            int[] d = dilations(n);
            return d != null && !Arrays.stream(d).allMatch(NodeGeometry::isPowerOfTwo)
                    ? op + " dilation " + dims(d) + " is not a power of two" : null;
        });
    }

    public static MarchLimit dilationAtMost(String op, int max) {
        return new MarchLimit(op, "dilation H,W <= " + max, n -> {
            int[] d = dilations(n);
            return d != null && max(d) > max ? op + " dilation " + dims(d) + " exceeds " + square(max, d.length) : null;
        });
    }

    /**
     * A dilated, strided convolution has each dilation a multiple of its stride (X3: "dilation must
     * be divisible by stride"; undilated or unstrided axes always qualify).
     */
    public static MarchLimit dilationDivisibleByStride(String op) {
        return new MarchLimit(op, "dilation > 1 with stride > 1: dilation divisible by stride", n -> {
            int[] d = dilations(n);
            int[] s = strides(n);
            if (d == null || s == null || d.length != s.length) {
                return null;
            }
            for (int i = 0; i < d.length; i++) {
                if (d[i] > 1 && s[i] > 1 && d[i] % s[i] != 0) {
                    return op + " dilation " + dims(d) + " is not divisible by stride " + dims(s);
                }
            }
            return null;
        });
    }

    /** Dilated convolutions only with stride 1. */
    public static MarchLimit dilationNeedsUnitStride(String op) {
        return new MarchLimit(op, "stride 1 when dilation > 1", n -> {
            int[] d = dilations(n);
            int[] s = strides(n);
            return d != null && s != null && max(d) > 1 && max(s) > 1
                    ? op + " dilation " + dims(d) + " needs stride 1, found " + dims(s) : null;
        });
    }

    public static MarchLimit strideAtMost(String op, int max) {
        return new MarchLimit(op, "stride H,W <= " + max, n -> {
            int[] s = strides(n);
            return s != null && max(s) > max ? op + " stride " + dims(s) + " exceeds " + square(max, s.length) : null;
        });
    }

    public static MarchLimit strideIn(String op, Set<Integer> allowed) {
        return new MarchLimit(op, "stride in " + sorted(allowed), n -> {
            int[] s = strides(n);
            return s != null && !Arrays.stream(s).allMatch(allowed::contains)
                    ? op + " stride " + dims(s) + " is not in " + sorted(allowed) : null;
        });
    }

    /** Along H the value (stride or dilation) is at most the one along W. */
    public static MarchLimit heightNotAboveWidth(String op, String what) {
        return new MarchLimit(op, what + " H <= " + what + " W", n -> {
            int[] v = what.equals("stride") ? strides(n) : dilations(n);
            return v != null && v.length == 2 && v[0] > v[1] ? op + " " + what + " " + dims(v) + " has H above W" : null;
        });
    }

    /** Padding along each spatial axis at most (kernel - 1) / 2. */
    public static MarchLimit padAtMostHalfKernel(String op) {
        return new MarchLimit(op, "padding <= (kernel - 1) / 2", n -> {
            int[] k = kernel(n);
            long[] p = n.attrs().getInts("pads", null);
            if (k == null || p == null || p.length != 2 * k.length) {
                return null;
            }
            for (int i = 0; i < p.length; i++) {
                if (p[i] > (k[i % k.length] - 1) / 2) {
                    return op + " padding " + Arrays.toString(p) + " exceeds (kernel - 1) / 2 for kernel " + dims(k);
                }
            }
            return null;
        });
    }

    /** The input's spatial area H x W at most {@code max}. */
    public static MarchLimit inputAreaAtMost(String op, int max) {
        return new MarchLimit(op, "input H x W <= " + max, n -> {
            int[] hw = tail(inputShape(n, 0), 2);
            return hw != null && product(hw) > max ? op + " input " + dims(hw) + " = " + product(hw) + " exceeds " + max
                    : null;
        });
    }

    /** Each spatial input dim at most {@code max}. */
    public static MarchLimit inputSpatialAtMost(String op, int max) {
        return new MarchLimit(op, "input H,W <= " + max, n -> {
            int[] hw = tail(inputShape(n, 0), 2);
            return hw != null && max(hw) > max ? op + " input " + dims(hw) + " exceeds " + square(max, hw.length) : null;
        });
    }

    /** Elements per batch item (C x H x W) at most {@code max}. */
    public static MarchLimit elementsAtMost(String op, int max) {
        return new MarchLimit(op, "C x H x W <= " + max, n -> {
            int[] chw = tail(inputShape(n, 0), 1);
            return chw != null && product(chw) > max ? op + " input 1x" + dims(chw) + " has " + product(chw)
                    + " elements per item, above " + max : null;
        });
    }

    /**
     * X3's table lookup size: the smaller of the tensor padded to W multiple of 8 and C of 4, and
     * padded to C multiple of 32, at most {@code max} per item.
     */
    public static MarchLimit alignedElementsAtMost(String op, int max) {
        return new MarchLimit(op, "min(C4 x H x W8, C32 x H x W) <= " + max, n -> {
            int[] s = inputShape(n, 0);
            if (s == null || s.length != 4) {
                return null;
            }
            long a = (long) up(s[1], 4) * s[2] * up(s[3], 8);
            long b = (long) up(s[1], 32) * s[2] * s[3];
            return Math.min(a, b) > max ? op + " input " + dims(s) + " aligns to " + Math.min(a, b) + " elements, above "
                    + max : null;
        });
    }

    /** The axis attribute is one of {@code allowed} (negative axes counted from the input's rank). */
    public static MarchLimit axisIn(String op, Set<Integer> allowed) {
        return new MarchLimit(op, "axis in " + sorted(allowed), n -> {
            long axis = n.attrs().getInt("axis", op.equals("Concat") || op.equals("Split") ? 0 : 1);
            int[] s = inputShape(n, 0);
            if (axis < 0 && s != null) {
                axis += s.length;
            }
            return allowed.contains((int) axis) ? null : op + " axis " + axis + " is not in " + sorted(allowed);
        });
    }

    /** Not along the batch axis (0). */
    public static MarchLimit axisNotBatch(String op) {
        return new MarchLimit(op, "axis not N (0)", n -> {
            long axis = n.attrs().getInt("axis", 0);
            int[] s = inputShape(n, 0);
            return axis == 0 || s != null && axis == -s.length ? op + " along axis N" : null;
        });
    }

    public static MarchLimit attrEquals(String op, String attr, long value) {
        return new MarchLimit(op, attr + " = " + value, n -> {
            long v = n.attrs().getInt(attr, value);
            return v == value ? null : op + " " + attr + " " + v + " is not " + value;
        });
    }

    /** Every input is a feature map (no constant operand). */
    public static MarchLimit featureMapInputs(String op) {
        return new MarchLimit(op, "every input a feature map", n -> {
            for (Value v : n.inputs()) {
                if (v != null && v.isConstant()) {
                    return op + " input '" + v.name() + "' is a constant";
                }
            }
            return null;
        });
    }

    /** "{1, 2, 3}". */
    static String sorted(Set<Integer> s) {
        return s.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    }

    private static int[] nchw(int[] shape) {
        return shape != null && shape.length == 4 ? shape : null;
    }

    private static int up(int v, int m) {
        return (v + m - 1) / m * m;
    }

    @Override
    public String toString() {
        return opType + ": " + rule;
    }
}
