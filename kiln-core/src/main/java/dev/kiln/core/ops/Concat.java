package dev.kiln.core.ops;

import dev.kiln.runtime.ops.movement.ConcatKernel;
import dev.kiln.runtime.ops.movement.ShapeArgs;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.tensor.DType;

/**
 * Concat: joins the inputs along axis (required since opset 4, default 1 before; negative from
 * opset 11). All other dims must match. Kernels (float and integer): {@link ConcatKernel}.
 */
public final class Concat extends Op {
    @Override
    public QuantKind quantKind() {
        return QuantKind.ELEMENTWISE;
    }

    @Override
    public void infer(OpContext ctx) {
        long axisValue = ConcatKernel.axisAttr(ctx);
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
}
