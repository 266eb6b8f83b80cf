package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/** Activations and elementwise math: one standard ONNX operator each where there is one. */
final class ActivationLayers {
    private ActivationLayers() {
    }

    /** A layer that is exactly one ONNX operator without attributes on its bottom. */
    static LayerConverter unary(String opType) {
        return ctx -> ctx.top(0, ctx.node(null, opType, null, ctx.bottom(0)));
    }

    /** ReLU6 → Clip(0, threshold), threshold 6 unless the fork's relu6_param says otherwise. */
    static void relu6(CaffeContext ctx) {
        float max = ctx.layer().getRelu6Param().getThreshold();
        ctx.top(0, ctx.node(null, "Clip", null, ctx.bottom(0), ctx.scalar("min", 0f), ctx.scalar("max", max)));
    }

    /** PReLU → PRelu with the slope blob [C] shaped [C, 1, ...] (one value with channel_shared). */
    static void prelu(CaffeContext ctx) {
        Value x = ctx.bottom(0);
        int[] in = ctx.shape(x);
        if (in.length < 2) {
            throw ctx.error("expects an input with a channel axis (N, C, ...), found " + Arrays.toString(in));
        }
        Tensor slope;
        if (ctx.layer().getPreluParam().getChannelShared()) {
            slope = ctx.blob(0, "slope", 1);
        } else {
            int[] shape = new int[in.length - 1];
            Arrays.fill(shape, 1);
            shape[0] = in[1];
            slope = ctx.blob(0, "slope", in[1]).reshape(shape);
        }
        ctx.top(0, ctx.node(null, "PRelu", null, x, ctx.constant("slope", slope)));
    }

    /** ELU → Elu(alpha). */
    static void elu(CaffeContext ctx) {
        ctx.top(0, ctx.node(null, "Elu", attrs().f("alpha", ctx.layer().getEluParam().getAlpha()), ctx.bottom(0)));
    }

    /** Power: y = (shift + scale·x)^power, leaving out the parts that are the identity. */
    static void power(CaffeContext ctx) {
        CaffeNet.PowerParameter p = ctx.layer().getPowerParam();
        Value y = affine(ctx, ctx.bottom(0), p.getScale(), p.getShift());
        if (p.getPower() == 2f) {
            y = ctx.node("square", "Mul", null, y, y);
        } else if (p.getPower() != 1f) {
            y = ctx.node("pow", "Pow", null, y, ctx.scalar("power", p.getPower()));
        }
        bind(ctx, y);
    }

    /**
     * Exp: y = base^(shift + scale·x) (base −1: e), computed as Caffe does:
     * {@code base^shift · exp(ln(base)·scale · x)}.
     */
    static void exp(CaffeContext ctx) {
        CaffeNet.ExpParameter p = ctx.layer().getExpParam();
        double lnBase = logOfBase(ctx, p.getBase());
        Value y = affine(ctx, ctx.bottom(0), (float) (lnBase * p.getScale()), 0f);
        y = ctx.node("exp", "Exp", null, y);
        float outer = p.getShift() == 0f ? 1f : (float) Math.exp(lnBase * p.getShift());
        if (outer != 1f) {
            y = ctx.node("outer_scale", "Mul", null, y, ctx.scalar("outer_scale", outer));
        }
        ctx.top(0, y);
    }

    /** Log: y = log_base(shift + scale·x) (base −1: e) → Mul/Add, Log, Mul by 1 / ln(base). */
    static void log(CaffeContext ctx) {
        CaffeNet.LogParameter p = ctx.layer().getLogParam();
        double lnBase = logOfBase(ctx, p.getBase());
        if (lnBase == 0.0) {
            throw ctx.error("base 1 has no logarithm");
        }
        Value y = ctx.node("log", "Log", null, affine(ctx, ctx.bottom(0), p.getScale(), p.getShift()));
        if (lnBase != 1.0) {
            y = ctx.node("base_scale", "Mul", null, y, ctx.scalar("base_scale", (float) (1.0 / lnBase)));
        }
        ctx.top(0, y);
    }

    /** Threshold: y = x > threshold ? 1 : 0 → Greater, Cast to float. */
    static void threshold(CaffeContext ctx) {
        float t = ctx.layer().getThresholdParam().getThreshold();
        Value above = ctx.node(null, "Greater", null, ctx.bottom(0), ctx.scalar("threshold", t));
        ctx.top(0, ctx.node("cast", "Cast", attrs().i("to", DType.FLOAT.onnxCode()), above));
    }

    /** Softmax over one axis (opset 13 Softmax is per axis, as Caffe's is). */
    static void softmax(CaffeContext ctx) {
        int axis = ctx.axis("softmax_param axis", ctx.layer().getSoftmaxParam().getAxis(), ctx.bottomShape(0).length);
        ctx.top(0, ctx.node(null, "Softmax", attrs().i("axis", axis), ctx.bottom(0)));
    }

    /**
     * Eltwise of bottoms of one shape: SUM (each bottom times its coeff where that is not 1, then a
     * chain of Add), PROD (a chain of Mul) or MAX (one Max).
     */
    static void eltwise(CaffeContext ctx) {
        CaffeNet.EltwiseParameter p = ctx.layer().getEltwiseParam();
        int n = ctx.bottoms();
        if (n < 2) {
            throw ctx.error("needs at least two bottoms, has " + n);
        }
        boolean sum = p.getOperation() == CaffeNet.EltwiseParameter.EltwiseOp.SUM;
        if (p.getCoeffCount() > 0 && !sum) {
            throw ctx.error("coeff is only allowed with operation SUM, found " + p.getOperation());
        }
        if (p.getCoeffCount() > 0 && p.getCoeffCount() != n) {
            throw ctx.error("has " + p.getCoeffCount() + " coeff values for " + n + " bottoms; give one per bottom");
        }
        Value[] terms = new Value[n];
        for (int i = 0; i < n; i++) {
            terms[i] = ctx.bottom(i);
            if (!Arrays.equals(ctx.shape(terms[i]), ctx.bottomShape(0))) {
                throw ctx.error("bottom " + i + " has shape " + Arrays.toString(ctx.shape(terms[i])) + ", bottom 0 "
                        + Arrays.toString(ctx.bottomShape(0)) + "; Eltwise needs equal shapes");
            }
        }
        if (p.getOperation() == CaffeNet.EltwiseParameter.EltwiseOp.MAX) {
            ctx.top(0, ctx.node(null, "Max", null, terms));
            return;
        }
        if (sum && p.getCoeffCount() > 0) {
            for (int i = 0; i < n; i++) {
                if (p.getCoeff(i) != 1f) {
                    terms[i] = ctx.node("coeff" + i, "Mul", null, terms[i], ctx.scalar("coeff" + i, p.getCoeff(i)));
                }
            }
        }
        Value y = terms[0];
        for (int i = 1; i < n; i++) {
            y = ctx.node(sum ? "add" + i : "mul" + i, sum ? "Add" : "Mul", null, y, terms[i]);
        }
        ctx.top(0, y);
    }

    /** shift + scale·x, each step only when it is not the identity. */
    private static Value affine(CaffeContext ctx, Value x, float scale, float shift) {
        Value y = x;
        if (scale != 1f) {
            y = ctx.node("scale", "Mul", null, y, ctx.scalar("scale", scale));
        }
        if (shift != 0f) {
            y = ctx.node("shift", "Add", null, y, ctx.scalar("shift", shift));
        }
        return y;
    }

    /** Binds top 0 to y, or aliases it to the bottom when the layer computed nothing. */
    private static void bind(CaffeContext ctx, Value y) {
        if (y == ctx.bottom(0)) {
            ctx.alias(0, y);
        } else {
            ctx.top(0, y);
        }
    }

    private static double logOfBase(CaffeContext ctx, float base) {
        if (base == -1f) {
            return 1.0;
        }
        if (!(base > 0f)) {
            throw ctx.error("base " + base + " must be positive, or -1 for e");
        }
        return Math.log(base);
    }
}
