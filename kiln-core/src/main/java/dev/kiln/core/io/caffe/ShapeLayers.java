package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Value;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * Layers that move data without arithmetic: Concat, Split, Slice, Flatten, Reshape, Crop,
 * ShuffleChannel and Dropout. Shapes are static, so every target shape is a constant.
 */
final class ShapeLayers {
    private ShapeLayers() {
    }

    /** Split: every top is the bottom itself (no node). */
    static void split(CaffeContext ctx) {
        for (int i = 0; i < ctx.tops(); i++) {
            ctx.alias(i, ctx.bottom(0));
        }
    }

    /** Dropout: the identity at test time, or a scaling by 1 − ratio when scale_train is false. */
    static void dropout(CaffeContext ctx) {
        CaffeNet.DropoutParameter p = ctx.layer().getDropoutParam();
        if (p.getScaleTrain()) {
            ctx.alias(0, ctx.bottom(0));
        } else {
            ctx.top(0, ctx.node(null, "Mul", null, ctx.bottom(0), ctx.scalar("keep", 1f - p.getDropoutRatio())));
        }
    }

    /** Concat along axis (concat_dim in old files); all other dims must agree. */
    static void concat(CaffeContext ctx) {
        CaffeNet.ConcatParameter p = ctx.layer().getConcatParam();
        int[] first = ctx.bottomShape(0);
        int axis = p.hasConcatDim() ? ctx.axis("concat_dim", p.getConcatDim(), first.length)
                : ctx.axis("concat_param axis", p.getAxis(), first.length);
        Value[] in = new Value[ctx.bottoms()];
        for (int i = 0; i < in.length; i++) {
            in[i] = ctx.bottom(i);
            int[] s = ctx.shape(in[i]).clone();
            if (s.length == first.length) {
                s[axis] = first[axis];
            }
            if (!Arrays.equals(s, first)) {
                throw ctx.error("bottom " + i + " has shape " + Arrays.toString(ctx.shape(in[i])) + ", bottom 0 "
                        + Arrays.toString(first) + "; they may differ only along axis " + axis);
            }
        }
        if (in.length == 1) {
            ctx.alias(0, in[0]);
            return;
        }
        ctx.top(0, ctx.node(null, "Concat", attrs().i("axis", axis), in));
    }

    /** Slice along axis (slice_dim in old files) at slice_point, or into equal parts, one per top → Split. */
    static void slice(CaffeContext ctx) {
        CaffeNet.SliceParameter p = ctx.layer().getSliceParam();
        int[] in = ctx.bottomShape(0);
        int axis = p.hasSliceDim() ? ctx.axis("slice_dim", p.getSliceDim(), in.length)
                : ctx.axis("slice_param axis", p.getAxis(), in.length);
        int n = ctx.tops();
        long[] sizes = new long[n];
        if (p.getSlicePointCount() > 0) {
            if (p.getSlicePointCount() != n - 1) {
                throw ctx.error("has " + p.getSlicePointCount() + " slice_point values for " + n + " tops; give one fewer than tops");
            }
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long point = i < n - 1 ? Integer.toUnsignedLong(p.getSlicePoint(i)) : in[axis];
                if (point <= prev || point > in[axis]) {
                    throw ctx.error("slice_point values must increase strictly within (0, " + in[axis] + ") along axis " + axis
                            + ", found " + p.getSlicePointList());
                }
                sizes[i] = point - prev;
                prev = point;
            }
        } else {
            if (in[axis] % n != 0) {
                throw ctx.error("axis " + axis + " of size " + in[axis] + " does not split into " + n + " equal parts");
            }
            Arrays.fill(sizes, in[axis] / n);
        }
        if (n == 1) {
            ctx.alias(0, ctx.bottom(0));
            return;
        }
        Value[] parts = ctx.nodeN(null, "Split", attrs().i("axis", axis), n, ctx.bottom(0), ctx.ints("split", sizes));
        for (int i = 0; i < n; i++) {
            ctx.top(i, parts[i]);
        }
    }

    /** Flatten of the axes axis..end_axis into one → Reshape. */
    static void flatten(CaffeContext ctx) {
        CaffeNet.FlattenParameter p = ctx.layer().getFlattenParam();
        int[] in = ctx.bottomShape(0);
        int start = ctx.axis("flatten_param axis", p.getAxis(), in.length);
        int end = ctx.axis("flatten_param end_axis", p.getEndAxis(), in.length);
        if (end < start) {
            throw ctx.error("end_axis " + end + " comes before axis " + start);
        }
        int[] out = new int[in.length - (end - start)];
        System.arraycopy(in, 0, out, 0, start);
        out[start] = 1;
        for (int d = start; d <= end; d++) {
            out[start] *= in[d];
        }
        System.arraycopy(in, end + 1, out, start + 1, in.length - end - 1);
        ctx.top(0, ctx.reshape(null, ctx.bottom(0), out));
    }

    /**
     * Reshape: the input axes [axis, axis + num_axes) (num_axes −1: to the end; a negative axis counts
     * from the end, −1 being after the last axis) are replaced by shape, where 0 copies the input dim
     * at the same place and one −1 is inferred.
     */
    static void reshape(CaffeContext ctx) {
        CaffeNet.ReshapeParameter p = ctx.layer().getReshapeParam();
        int[] in = ctx.bottomShape(0);
        long start = p.getAxis() >= 0 ? p.getAxis() : in.length + p.getAxis() + 1;
        long end = p.getNumAxes() == -1 ? in.length : start + p.getNumAxes();
        if (start < 0 || start > in.length || p.getNumAxes() < -1 || end > in.length) {
            throw ctx.error("axis " + p.getAxis() + " and num_axes " + p.getNumAxes() + " do not fit a blob of "
                    + in.length + " axes");
        }
        int s = (int) start;
        int m = p.getShape().getDimCount();
        int[] out = new int[in.length - (int) (end - start) + m];
        System.arraycopy(in, 0, out, 0, s);
        System.arraycopy(in, (int) end, out, s + m, in.length - (int) end);
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < m; i++) {
            long d = p.getShape().getDim(i);
            if (d == -1) {
                if (inferred >= 0) {
                    throw ctx.error("shape has more than one -1");
                }
                inferred = s + i;
                continue;
            }
            if (d == 0 && s + i >= in.length) {
                throw ctx.error("shape dim " + i + " is 0 (copy) but the input has no axis " + (s + i));
            }
            if (d < 0) {
                throw ctx.error("shape dim " + i + " is " + d + "; only 0 (copy) and -1 (infer) may be non-positive");
            }
            out[s + i] = d == 0 ? in[s + i] : Math.toIntExact(d);
        }
        long total = 1;
        for (int d : in) {
            total *= d;
        }
        for (int i = 0; i < out.length; i++) {
            known *= i == inferred ? 1 : out[i];
        }
        if (inferred >= 0 && known > 0 && total % known == 0) {
            out[inferred] = (int) (total / known);
            known = total;
        }
        if (known != total) {
            throw ctx.error("cannot reshape " + Arrays.toString(in) + " (" + total + " values) to " + p.getShape().getDimList()
                    + " from axis " + s);
        }
        ctx.top(0, ctx.reshape(null, ctx.bottom(0), out));
    }

    /**
     * Crop of bottom 0 to bottom 1's size on the axes from axis on (default 2), starting at offset
     * (one for all those axes, or one each) → Slice with constant starts, ends and axes.
     */
    static void crop(CaffeContext ctx) {
        CaffeNet.CropParameter p = ctx.layer().getCropParam();
        int[] in = ctx.bottomShape(0);
        int[] ref = ctx.bottomShape(1);
        if (ref.length != in.length) {
            throw ctx.error("bottom 1 has " + ref.length + " axes, bottom 0 has " + in.length);
        }
        int axis = ctx.axis("crop_param axis", p.getAxis(), in.length);
        int n = in.length - axis;
        if (p.getOffsetCount() > 1 && p.getOffsetCount() != n) {
            throw ctx.error("has " + p.getOffsetCount() + " offset values for " + n + " cropped axes; give one, or one each");
        }
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] axes = new long[n];
        for (int i = 0; i < n; i++) {
            long off = p.getOffsetCount() == 0 ? 0 : Integer.toUnsignedLong(p.getOffset(p.getOffsetCount() == 1 ? 0 : i));
            if (off + ref[axis + i] > in[axis + i]) {
                throw ctx.error("axis " + (axis + i) + ": offset " + off + " plus size " + ref[axis + i]
                        + " exceeds the input size " + in[axis + i]);
            }
            starts[i] = off;
            ends[i] = off + ref[axis + i];
            axes[i] = axis + i;
        }
        ctx.top(0, ctx.node(null, "Slice", null, ctx.bottom(0), ctx.ints("starts", starts), ctx.ints("ends", ends),
                ctx.ints("axes", axes)));
    }

    /**
     * ShuffleChannel with g groups: channel i·(C/g) + j moves to j·g + i → Reshape [N, g, C/g, rest],
     * Transpose, Reshape back.
     */
    static void shuffleChannel(CaffeContext ctx) {
        int[] in = ctx.bottomShape(0);
        long g = Integer.toUnsignedLong(ctx.layer().getShuffleChannelParam().getGroup());
        if (in.length < 2 || g <= 0 || in[1] % g != 0) {
            throw ctx.error("group " + g + " must divide the channels of " + Arrays.toString(in));
        }
        int rest = 1;
        for (int d = 2; d < in.length; d++) {
            rest *= in[d];
        }
        Value y = ctx.reshape("split", ctx.bottom(0), in[0], (int) g, in[1] / (int) g, rest);
        y = ctx.node("transpose", "Transpose", attrs().ints("perm", 0, 2, 1, 3), y);
        ctx.top(0, ctx.reshape("merge", y, in));
    }
}
