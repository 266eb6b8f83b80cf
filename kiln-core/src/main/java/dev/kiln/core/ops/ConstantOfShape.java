package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ShapeArgs;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.ops.Kernel;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ConstantOfShape: a tensor of the shape given by the input (1-D int64; empty means a scalar),
 * every element the value attribute's single element (float32 0 by default).
 */
public final class ConstantOfShape extends Op {
    @Override
    public int opcode() {
        return 97;
    }

    @Override
    public int minOpset() {
        return 9;
    }

    private static Tensor value(OpContext ctx) {
        if (!ctx.attrs().has("value")) {
            return Tensor.allocate(DType.FLOAT, 1);
        }
        Tensor v = ctx.attrs().getTensor("value").tensor();
        if (v.size() != 1) {
            throw ctx.error("the value attribute must hold exactly one element, found shape " + Arrays.toString(v.shape()));
        }
        return v;
    }

    private static int[] shape(Tensor t) {
        long[] v = ShapeArgs.longs(t, "shape");
        int[] s = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = ShapeArgs.dimSize(v[i], "shape entry");
        }
        return s;
    }

    @Override
    public void infer(OpContext ctx) {
        DType dtype = value(ctx).dtype();
        Tensor c = ctx.constant(0);
        if (c != null) {
            ctx.setOutput(0, dtype, shape(c));
            return;
        }
        int[] ss = ctx.inputShape(0);
        if (ss != null && ss.length == 1 && ss[0] >= 0) {
            int[] unknown = new int[ss[0]];
            Arrays.fill(unknown, -1);
            ctx.setOutput(0, dtype, unknown);
        } else {
            ctx.setOutput(0, dtype, (int[]) null);
        }
    }

    @Override
    public Kernel prepare(OpContext ctx) {
        Tensor value = value(ctx);
        boolean zero = value.dtype().isFloatingPoint()
                ? Double.doubleToRawLongBits(value.getDouble(0)) == 0 : value.getLong(0) == 0;
        return (in, ec) -> {
            Tensor out = Tensor.allocate(value.dtype(), shape(in[0]));
            if (!zero) {
                Movement.fill(out.data(), 0, out.size(), value);
            }
            return new Tensor[] {out};
        };
    }
}
