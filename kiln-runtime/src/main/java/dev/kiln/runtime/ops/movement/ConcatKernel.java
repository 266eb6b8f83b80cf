package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Concat: joins the inputs along axis (required since opset 4, default 1 before; negative from
 * opset 11). All other dims must match. Copies whole blocks per input.
 */
public final class ConcatKernel extends NamedFactory {
    public static final ConcatKernel INSTANCE = new ConcatKernel();

    private ConcatKernel() {
        super("Concat", 62);
    }

    /** The axis attribute, required since opset 4. */
    public static long axisAttr(KernelContext ctx) {
        if (ctx.opset() >= 4 && !ctx.attrs().has("axis")) {
            throw ctx.error("needs the axis attribute");
        }
        return ctx.attrs().getInt("axis", 1);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
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
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!q.isQuantizedInput(i)) {
                return null;
            }
        }
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        int tmin = outType == DType.INT8 ? QuantMath.INT8_MIN : QuantMath.INT16_MIN;
        int tmax = outType == DType.INT8 ? QuantMath.INT8_MAX : QuantMath.INT16_MAX;
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
