package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Resize: nearest, linear (bi/trilinear...) or cubic interpolation of any number of axes.
 *
 * <p>Inputs by opset: 10 takes (X, scales) with asymmetric coordinates and the old nearest
 * rounding (ceil when downscaling, else truncate); 11+ takes (X, roi, scales, sizes), exactly one
 * of scales and sizes non-empty, roi used only by tf_crop_and_resize; 18 adds {@code axes} (scales,
 * sizes and roi then list only those axes), {@code antialias} and {@code keep_aspect_ratio_policy}.
 *
 * <p>Sizes follow ONNX Runtime: with scales, {@code out = floor(scale * in)} in float32; with sizes,
 * the scale of an axis is {@code out / in} in float32, and that scale (not out/in of the rounded
 * result) drives the coordinate transform. An axis with scale exactly 1 is copied; when no axis
 * changes size the input is returned as is. Per-axis sampling is in {@link ResizeAxis}.
 */
public final class ResizeKernel extends NamedFactory {
    public static final ResizeKernel INSTANCE = new ResizeKernel();

    private ResizeKernel() {
        super("Resize", 77);
    }

    enum Mode { NEAREST, LINEAR, CUBIC }

    enum Policy { STRETCH, NOT_LARGER, NOT_SMALLER }

    /** Parsed attributes. */
    public static final class Settings {
        Mode mode = Mode.NEAREST;
        ResizeAxis.CoordMode coord = ResizeAxis.CoordMode.HALF_PIXEL;
        ResizeAxis.NearestMode nearest = ResizeAxis.NearestMode.ROUND_PREFER_FLOOR;
        float cubicA = -0.75f;
        boolean excludeOutside;
        boolean antialias;
        float extrapolation;
        long[] axes;
        Policy policy = Policy.STRETCH;
        /** Upsample and Resize before opset 11: scales must be at least 1 (Upsample) or positive. */
        boolean scalesAtLeastOne;
    }

    /** The index of the scales input: 1 in opset 10, 2 from opset 11 (after roi). */
    public static int scalesInput(KernelContext ctx) {
        return ctx.opset() >= 11 ? 2 : 1;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Settings s = settings(ctx);
        int si = scalesInput(ctx);
        boolean v11 = ctx.opset() >= 11;
        return (in, ec) -> {
            Tensor x = in[0];
            Tensor roi = v11 && in.length > 1 ? in[1] : null;
            Tensor scales = in.length > si ? in[si] : null;
            Tensor sizes = v11 && in.length > 3 ? in[3] : null;
            Plan p = plan(null, x.shape(), scales != null && scales.size() > 0 ? floatsOf(scales) : null,
                    sizes != null && sizes.size() > 0 ? sizes.toLongArray() : null, s);
            return new Tensor[] {resize(x, p, roiOf(roi, x.rank(), s), s, ec)};
        };
    }

    /** Parses and checks the attributes of the opset in force. */
    public static Settings settings(KernelContext ctx) {
        Settings s = new Settings();
        var a = ctx.attrs();
        String mode = a.getString("mode", "nearest");
        switch (mode) {
            case "nearest": s.mode = Mode.NEAREST; break;
            case "linear": s.mode = Mode.LINEAR; break;
            case "cubic": s.mode = Mode.CUBIC; break;
            default: throw ctx.error("mode must be nearest, linear or cubic, found '" + mode + "'");
        }
        if (ctx.opset() < 11) {
            s.coord = ResizeAxis.CoordMode.ASYMMETRIC;
            s.nearest = ResizeAxis.NearestMode.SIMPLE;
            return s;
        }
        String cm = a.getString("coordinate_transformation_mode", "half_pixel");
        s.coord = ResizeAxis.CoordMode.parse(cm);
        if (s.coord == null) {
            throw ctx.error("coordinate_transformation_mode '" + cm + "' is not one of half_pixel, "
                    + "half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn, "
                    + "tf_crop_and_resize");
        }
        String nm = a.getString("nearest_mode", "round_prefer_floor");
        s.nearest = ResizeAxis.NearestMode.parse(nm);
        if (s.nearest == null) {
            throw ctx.error("nearest_mode '" + nm + "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
        }
        s.cubicA = a.getFloat("cubic_coeff_a", -0.75f);
        s.excludeOutside = a.getInt("exclude_outside", 0) != 0;
        s.extrapolation = a.getFloat("extrapolation_value", 0f);
        if (ctx.opset() >= 18) {
            s.antialias = a.getInt("antialias", 0) != 0 && s.mode != Mode.NEAREST;
            s.axes = a.getInts("axes", null);
            String kp = a.getString("keep_aspect_ratio_policy", "stretch");
            switch (kp) {
                case "stretch": s.policy = Policy.STRETCH; break;
                case "not_larger": s.policy = Policy.NOT_LARGER; break;
                case "not_smaller": s.policy = Policy.NOT_SMALLER; break;
                default: throw ctx.error("keep_aspect_ratio_policy must be stretch, not_larger or not_smaller, found '"
                        + kp + "'");
            }
        }
        return s;
    }

    /** A scales or roi tensor (float or double) as float32 values. */
    public static float[] floatsOf(Tensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
        return f;
    }

    /** Output sizes and the per-axis scales that drive the coordinate transform. */
    public static final class Plan {
        public final float[] scales;
        public final int[] out;

        Plan(float[] scales, int[] out) {
            this.scales = scales;
            this.out = out;
        }
    }

    private static RuntimeException fail(KernelContext ctx, String msg) {
        return ctx != null ? ctx.error(msg) : new IllegalArgumentException(msg);
    }

    /** The axes the scales/sizes/roi lists refer to (all axes when the attribute is absent). */
    private static int[] axesOf(KernelContext ctx, Settings s, int rank) {
        if (s.axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] ax = new int[s.axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < ax.length; i++) {
            long v = s.axes[i] < 0 ? s.axes[i] + rank : s.axes[i];
            if (v < 0 || v >= rank || seen[(int) v]) {
                throw fail(ctx, "axes " + Arrays.toString(s.axes) + " must be distinct axes of a rank " + rank + " input");
            }
            seen[(int) v] = true;
            ax[i] = (int) v;
        }
        return ax;
    }

    /** Output shape and scales from scales or sizes; input dims may be -1 (unknown) during inference. */
    public static Plan plan(KernelContext ctx, int[] in, float[] scales, long[] sizes, Settings s) {
        int r = in.length;
        if (r == 0) {
            throw fail(ctx, "the input must have at least one dimension");
        }
        if (scales != null && sizes != null) {
            throw fail(ctx, "only one of scales and sizes may be given, found both");
        }
        if (scales == null && sizes == null) {
            throw fail(ctx, "either scales or sizes must be given (non-empty)");
        }
        int[] axes = axesOf(ctx, s, r);
        float[] sc = new float[r];
        Arrays.fill(sc, 1f);
        int[] out = in.clone();
        if (scales != null) {
            if (scales.length != axes.length) {
                throw fail(ctx, "scales has " + scales.length + " values, expected " + axes.length
                        + (s.axes == null ? " (the input rank)" : " (one per axis in axes)"));
            }
            for (int i = 0; i < axes.length; i++) {
                float v = scales[i];
                if (!(v > 0) || s.scalesAtLeastOne && !(v >= 1)) {
                    throw fail(ctx, "scales must be " + (s.scalesAtLeastOne ? "at least 1" : "positive") + ", found "
                            + Arrays.toString(scales));
                }
                sc[axes[i]] = v;
            }
            for (int i = 0; i < r; i++) {
                out[i] = in[i] < 0 ? -1 : (int) (sc[i] * (float) in[i]);
            }
            return new Plan(sc, out);
        }
        if (sizes.length != axes.length) {
            throw fail(ctx, "sizes has " + sizes.length + " values, expected " + axes.length
                    + (s.axes == null ? " (the input rank)" : " (one per axis in axes)"));
        }
        for (int i = 0; i < axes.length; i++) {
            if (sizes[i] < 0 || sizes[i] > Integer.MAX_VALUE) {
                throw fail(ctx, "sizes must be non-negative, found " + Arrays.toString(sizes));
            }
            out[axes[i]] = (int) sizes[i];
        }
        for (int i = 0; i < r; i++) {
            if (in[i] == 0) {
                if (out[i] != 0) {
                    throw fail(ctx, "axis " + i + " has size 0 and cannot be resized to " + out[i]);
                }
                sc[i] = 1f;
            } else if (in[i] > 0) {
                sc[i] = (float) out[i] / (float) in[i];
            } else {
                sc[i] = out[i] == in[i] ? 1f : Float.NaN;
            }
        }
        if (s.policy != Policy.STRETCH) {
            boolean[] chosen = new boolean[r];
            for (int a : axes) chosen[a] = true;
            float p = s.policy == Policy.NOT_LARGER ? Float.MAX_VALUE : Float.MIN_VALUE;
            for (int i = 0; i < r; i++) {
                if (chosen[i]) {
                    p = s.policy == Policy.NOT_LARGER ? Math.min(p, sc[i]) : Math.max(p, sc[i]);
                }
            }
            for (int i = 0; i < r; i++) {
                if (chosen[i]) {
                    sc[i] = p;
                    out[i] = in[i] < 0 || p != p ? -1 : Math.round(p * in[i]);
                } else {
                    sc[i] = 1f;
                    out[i] = in[i];
                }
            }
        }
        return new Plan(sc, out);
    }

    /** The region of interest as 2*rank values (starts, then ends); [0..0, 1..1] when not needed or absent. */
    static float[] roiOf(Tensor roi, int rank, Settings s) {
        float[] full = new float[2 * rank];
        Arrays.fill(full, rank, 2 * rank, 1f);
        if (s.coord != ResizeAxis.CoordMode.TF_CROP_AND_RESIZE || roi == null || roi.size() == 0) {
            return full;
        }
        float[] v = floatsOf(roi);
        int[] axes = axesOf(null, s, rank);
        if (v.length != 2 * axes.length) {
            throw new IllegalArgumentException("roi has " + v.length + " values, expected " + 2 * axes.length
                    + " (start and end for each resized axis)");
        }
        for (int i = 0; i < axes.length; i++) {
            full[axes[i]] = v[i];
            full[rank + axes[i]] = v[axes.length + i];
        }
        return full;
    }

    /** Resizes x to the plan's shape (shared with {@link UpsampleKernel}). */
    static Tensor resize(Tensor x, Plan p, float[] roi, Settings s, ExecContext ec) {
        int r = x.rank();
        if (Arrays.equals(p.out, x.shape())) {
            return x;
        }
        DType t = x.dtype();
        if (s.mode != Mode.NEAREST && (t == DType.BOOL || t == DType.STRING)) {
            throw new IllegalArgumentException(s.mode.name().toLowerCase(java.util.Locale.ROOT)
                    + " resize needs a numeric tensor, found " + t);
        }
        boolean eightBit = t == DType.INT8 || t == DType.UINT8;
        ResizeAxis[] axes = new ResizeAxis[r];
        for (int a = 0; a < r; a++) {
            int in = x.dim(a);
            int out = p.out[a];
            float sc = p.scales[a];
            float rs = roi[a];
            float re = roi[r + a];
            if (sc == 1.0f && out == in || out == 0) {
                axes[a] = ResizeAxis.identity(out);
            } else if (in == 0) {
                throw new IllegalArgumentException("axis " + a + " has size 0 and cannot be resized to " + out);
            } else if (s.mode == Mode.NEAREST) {
                axes[a] = ResizeAxis.nearest(s.coord, s.nearest, in, out, sc, rs, re);
            } else if (s.antialias) {
                axes[a] = ResizeAxis.antialias(s.mode == Mode.CUBIC, s.cubicA, s.excludeOutside, s.coord, in, out, sc, rs,
                        re, eightBit);
            } else if (s.mode == Mode.LINEAR) {
                axes[a] = ResizeAxis.linear(s.coord, in, out, sc, rs, re);
            } else {
                axes[a] = ResizeAxis.cubic(s.coord, s.cubicA, s.excludeOutside, in, out, sc, rs, re);
            }
        }
        if (s.mode == Mode.NEAREST) {
            return ResizeKernels.nearest(x, axes, p.out, s.extrapolation, ec);
        }
        if (s.antialias) {
            return ResizeKernels.separable(x, axes, p.out, s.extrapolation,
                    eightBit ? ResizeKernels.IntRounding.HALF_UP : ResizeKernels.IntRounding.HALF_AWAY, ec);
        }
        return ResizeKernels.interpolate(x, axes, p.out, s.extrapolation, ResizeKernels.IntRounding.TRUNCATE, ec);
    }
}
