package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.IntegerParams;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Concat: joins the inputs along axis (required since opset 4, default 1 before; negative from
 * opset 11). All other dims must match. Copies whole blocks per input.
 */
public final class Concat extends Op {
    @Override
    public int opcode() {
        return 62;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    private static long axisAttr(OpContext ctx) {
        if (ctx.opset() >= 4 && !ctx.attrs().has("axis")) {
            throw ctx.error("needs the axis attribute");
        }
        return ctx.attrs().getInt("axis", 1);
    }

    @Override
    public void infer(OpContext ctx) {
        long axisValue = axisAttr(ctx);
        DType dtype = null;
        Dim[] out = null;
        boolean sumKnown = true;
        long sum = 0;
        int axis = -1;
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!ctx.hasInput(i)) {
                continue;
            }
            if (dtype == null) {
                dtype = ctx.inputDtype(i);
            }
            Dim[] d = Infer.dims(ctx, i);
            if (d == null) {
                sumKnown = false;
                continue;
            }
            if (out == null) {
                out = d.clone();
                axis = ShapeArgs.axis(axisValue, d.length, "axis");
            } else if (d.length != out.length) {
                throw ctx.error("input " + i + " has rank " + d.length + " but input 0 has rank " + out.length);
            }
            for (int k = 0; k < d.length; k++) {
                if (k == axis) {
                    continue;
                }
                if (d[k].isKnown() && out[k].isKnown() && d[k].value() != out[k].value()) {
                    throw ctx.error("input " + i + " has dim " + k + " = " + d[k].value() + ", expected "
                            + out[k].value() + " as in the other inputs");
                }
                if (!out[k].isKnown() && d[k].isKnown()) {
                    out[k] = d[k];
                }
            }
            if (d[axis].isKnown()) {
                sum += d[axis].value();
            } else {
                sumKnown = false;
            }
        }
        if (out == null) {
            ctx.setOutput(0, dtype, (int[]) null);
            return;
        }
        out[axis] = sumKnown ? Dim.of(sum) : Dim.UNKNOWN;
        ctx.setOutput(0, dtype, out);
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        long axisValue = axisAttr(ctx);
        return (in, ec) -> new Tensor[] {concat(in, axisValue, ec)};
    }

    private static Tensor concat(Tensor[] in, long axisValue, ExecContext ec) {
        Tensor first = null;
        for (Tensor t : in) {
            if (t != null) {
                first = t;
                break;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("Concat needs at least one input");
        }
        int[] shape = first.shape().clone();
        int rank = shape.length;
        int axis = ShapeArgs.axis(axisValue, rank, "axis");
        long total = 0;
        for (int i = 0; i < in.length; i++) {
            Tensor t = in[i];
            if (t == null) {
                continue;
            }
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("input " + i + " is " + t.dtype() + " but input 0 is " + first.dtype());
            }
            int[] s = t.shape();
            boolean ok = s.length == rank;
            for (int k = 0; ok && k < rank; k++) {
                ok = k == axis || s[k] == shape[k];
            }
            if (!ok) {
                throw new IllegalArgumentException("input " + i + " has shape " + Arrays.toString(s)
                        + ", which does not match " + Arrays.toString(shape) + " outside axis " + axis);
            }
            total += s[axis];
        }
        shape[axis] = ShapeArgs.dimSize(total, "concatenated dimension");
        Tensor out = Tensor.allocate(first.dtype(), shape);
        int outer = Shapes.product(shape, 0, axis);
        int inner = Shapes.product(shape, axis + 1, rank);
        int outBlock = shape[axis] * inner;
        int at = 0;
        for (Tensor t : in) {
            if (t == null) {
                continue;
            }
            int block = t.dim(axis) * inner;
            Movement.copyBlocks(t.data(), 0, block, out.data(), at, outBlock, outer, block, ec.parallel());
            at += block;
        }
        return out;
    }

    /** Integer Concat: inputs brought to the output's scale, then concatenated as they are. */
    @Override
    public Kernel prepareInteger(OpContext ctx, IntegerParams q) {
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!q.isQuantizedInput(i)) {
                return null;
            }
        }
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        int tmin = outType == DType.INT8 ? dev.kiln.runtime.quant.QuantMath.INT8_MIN : dev.kiln.runtime.quant.QuantMath.INT16_MIN;
        int tmax = outType == DType.INT8 ? dev.kiln.runtime.quant.QuantMath.INT8_MAX : dev.kiln.runtime.quant.QuantMath.INT16_MAX;
        if (lo != tmin || hi != tmax) {
            return null;
        }
        Kernel concat = prepare(ctx);
        float so = q.outputScale(0);
        return (in, ec) -> {
            Tensor[] r = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                r[i] = IntegerRescale.rescale(in[i], q.inputScale(i), so, outType);
            }
            return concat.run(r, ec);
        };
    }
}
