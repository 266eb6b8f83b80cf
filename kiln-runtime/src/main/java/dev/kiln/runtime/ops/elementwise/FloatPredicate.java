package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.function.DoublePredicate;

/** Kernel of the float classification ops (IsNaN, IsInf): a bool tensor from a test on each value. */
final class FloatPredicate {
    private FloatPredicate() {
    }

    static Kernel prepare(KernelContext ctx, String op, DoublePredicate test) {
        DType t = ctx.inputDtype(0);
        if (t != null && !t.isFloatingPoint()) {
            throw ctx.error(Elementwise.typeError(op, t));
        }
        return (in, ec) -> {
            Tensor x = in[0];
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(Elementwise.typeError(op, x.dtype()));
            }
            Tensor out = Tensor.allocate(DType.BOOL, x.shape());
            byte[] o = out.bytes();
            for (int i = 0; i < o.length; i++) {
                o[i] = (byte) (test.test(x.getDouble(i)) ? 1 : 0);
            }
            return new Tensor[] {out};
        };
    }
}
