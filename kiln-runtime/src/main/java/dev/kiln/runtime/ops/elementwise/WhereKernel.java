package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/** Where: X where condition is true, else Y; the three inputs broadcast together (numpy rules). */
public final class WhereKernel extends NamedFactory {
    public static final WhereKernel INSTANCE = new WhereKernel();

    private WhereKernel() {
        super("Where", 53);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        DType c = ctx.inputDtype(0);
        if (c != null && c != DType.BOOL) {
            throw ctx.error("condition must be a bool tensor, found " + c);
        }
        DType x = ctx.inputDtype(1);
        DType y = ctx.inputDtype(2);
        if (x != null && y != null && x != y) {
            throw ctx.error("X and Y must have the same element type, found " + x + " and " + y);
        }
        return (in, ec) -> new Tensor[] {select(in[0], in[1], in[2])};
    }

    static Tensor select(Tensor cond, Tensor x, Tensor y) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("condition must be a bool tensor, found " + cond.dtype());
        }
        if (x.dtype() != y.dtype()) {
            throw new IllegalArgumentException("X and Y must have the same element type, found " + x.dtype()
                    + " and " + y.dtype());
        }
        int[] shape = Shapes.broadcast(cond.shape(), x.shape(), y.shape());
        byte[] c = cond.bytes();
        int[] ic = index(cond, shape);
        int[] iy = index(y, shape);
        // start from X broadcast to the output, then take Y's value wherever the condition is false
        Tensor out = Arrays.equals(x.shape(), shape) ? x.copy() : x.gather(Shapes.broadcastIndex(x.shape(), shape), shape);
        int n = out.size();
        Object o = out.data();
        Object s = y.data();
        if (o instanceof float[]) {
            float[] d = (float[]) o, v = (float[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        } else if (o instanceof double[]) {
            double[] d = (double[]) o, v = (double[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        } else if (o instanceof byte[]) {
            byte[] d = (byte[]) o, v = (byte[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        } else if (o instanceof short[]) {
            short[] d = (short[]) o, v = (short[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        } else if (o instanceof int[]) {
            int[] d = (int[]) o, v = (int[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        } else {
            long[] d = (long[]) o, v = (long[]) s;
            for (int i = 0; i < n; i++) if (c[at(ic, i)] == 0) d[i] = v[at(iy, i)];
        }
        return out;
    }

    /** Source index map of t broadcast to shape, or null when t already has that shape. */
    private static int[] index(Tensor t, int[] shape) {
        return Arrays.equals(t.shape(), shape) ? null : Shapes.broadcastIndex(t.shape(), shape);
    }

    private static int at(int[] index, int i) {
        return index == null ? i : index[i];
    }
}
