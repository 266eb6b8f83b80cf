package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.kernels.Broadcast;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Pow: base ^ exponent with numpy broadcasting; the output has the base's type. From opset 12 the
 * exponent may have another numeric type. Computed in double precision and stored like a C cast of
 * {@code std::pow}'s result (integer results truncate).
 */
public final class PowKernel extends NamedFactory {
    public static final PowKernel INSTANCE = new PowKernel();

    private PowKernel() {
        super("Pow", 27);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        for (int i = 0; i < 2; i++) {
            DType t = ctx.inputDtype(i);
            if (t != null && !t.isFloatingPoint() && !t.isInteger()) {
                throw ctx.error(Elementwise.typeError(opType(), t));
            }
        }
        int axis = Elementwise.legacyAxis(ctx);
        return (in, ec) -> new Tensor[] {pow(in[0], Elementwise.alignLegacy(in[1], in[0].rank(), axis), ec)};
    }

    private static Tensor pow(Tensor x, Tensor y, ExecContext ec) {
        for (Tensor t : new Tensor[] {x, y}) {
            if (!t.dtype().isFloatingPoint() && !t.dtype().isInteger()) {
                throw new IllegalArgumentException(Elementwise.typeError("Pow", t.dtype()));
            }
        }
        int[] shape = Shapes.broadcast(x.shape(), y.shape());
        Tensor out = Tensor.allocate(x.dtype(), shape);
        if (x.dtype() == DType.FLOAT && y.dtype() == DType.FLOAT) {
            float[] a = x.floats(), b = y.floats(), o = out.floats();
            Broadcast.forEach(x.shape(), y.shape(), shape, ec.parallel(), Elementwise.GRAIN, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) o[oo + k] = (float) Math.pow(a[ia + k * sa], b[ib + k * sb]);
            });
        } else {
            Broadcast.forEach(x.shape(), y.shape(), shape, ec.parallel(), Elementwise.GRAIN, (oo, ia, sa, ib, sb, n) -> {
                for (int k = 0; k < n; k++) {
                    out.setDouble(oo + k, Math.pow(x.getDouble(ia + k * sa), y.getDouble(ib + k * sb)));
                }
            });
        }
        return out;
    }
}
