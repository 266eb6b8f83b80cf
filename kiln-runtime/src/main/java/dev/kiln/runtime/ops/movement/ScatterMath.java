package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * The reduction attribute of ScatterND and ScatterElements (opset 16: none, add, mul; opset 18:
 * max, min) and the element update it implies. Float types combine in float32 (half types rounded
 * to their format when stored), doubles in double, integers in 64-bit arithmetic wrapped to their
 * width.
 */
enum ScatterMath {
    NONE, ADD, MUL, MAX, MIN;

    static ScatterMath parse(KernelContext ctx) {
        String r = ctx.attrs().getString("reduction", "none");
        int opset = ctx.opset();
        switch (r) {
            case "none":
                return NONE;
            case "add":
            case "mul":
                if (opset < 16) {
                    throw ctx.error("reduction '" + r + "' needs opset 16 or later; the model uses opset " + opset);
                }
                return r.equals("add") ? ADD : MUL;
            case "max":
            case "min":
                if (opset < 18) {
                    throw ctx.error("reduction '" + r + "' needs opset 18 or later; the model uses opset " + opset);
                }
                return r.equals("max") ? MAX : MIN;
            default:
                throw ctx.error("reduction must be none, add, mul, max or min; found '" + r + "'");
        }
    }

    /** Combines n elements of upd (from u) into out (from o). */
    void apply(Tensor out, int o, Tensor upd, int u, int n) {
        if (this == NONE) {
            out.copyFrom(upd, u, o, n);
            return;
        }
        DType t = out.dtype();
        if (t == DType.FLOAT) {
            float[] a = out.floats();
            float[] b = upd.floats();
            for (int k = 0; k < n; k++) {
                a[o + k] = combine(a[o + k], b[u + k]);
            }
        } else if (t.isFloatStorage()) {
            float[] a = out.floats();
            float[] b = upd.floats();
            for (int k = 0; k < n; k++) {
                out.setDouble(o + k, combine(a[o + k], b[u + k]));
            }
        } else if (t == DType.DOUBLE) {
            double[] a = out.doubles();
            double[] b = upd.doubles();
            for (int k = 0; k < n; k++) {
                a[o + k] = combine(a[o + k], b[u + k]);
            }
        } else {
            for (int k = 0; k < n; k++) {
                out.setLong(o + k, combine(out.getLong(o + k), upd.getLong(u + k)));
            }
        }
    }

    private float combine(float a, float b) {
        switch (this) {
            case ADD: return a + b;
            case MUL: return a * b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            default: return b;
        }
    }

    private double combine(double a, double b) {
        switch (this) {
            case ADD: return a + b;
            case MUL: return a * b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            default: return b;
        }
    }

    private long combine(long a, long b) {
        switch (this) {
            case ADD: return a + b;
            case MUL: return a * b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            default: return b;
        }
    }

    /** Checks that data and updates have the same element type. */
    static void sameType(Tensor data, Tensor updates) {
        if (data.dtype() != updates.dtype()) {
            throw new IllegalArgumentException("updates are " + updates.dtype() + " but data is " + data.dtype());
        }
    }
}
