package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * ConstantOfShape: a tensor of the shape given by the input (1-D int64; empty means a scalar),
 * every element the value attribute's single element (float32 0 by default).
 */
public final class ConstantOfShapeKernel extends NamedFactory {
    public static final ConstantOfShapeKernel INSTANCE = new ConstantOfShapeKernel();

    private ConstantOfShapeKernel() {
        super("ConstantOfShape", 97);
    }

    /** The one-element fill value (float32 0 without the attribute). */
    public static Tensor value(KernelContext ctx) {
        if (!ctx.attrs().has("value")) {
            return Tensor.allocate(DType.FLOAT, 1);
        }
        Tensor v = ctx.attrs().tensorValue("value");
        if (v.size() != 1) {
            throw ctx.error("the value attribute must hold exactly one element, found shape " + Arrays.toString(v.shape()));
        }
        return v;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Tensor value = value(ctx);
        boolean zero = value.dtype().isFloatingPoint()
                ? Double.doubleToRawLongBits(value.getDouble(0)) == 0 : value.getLong(0) == 0;
        return (in, ec) -> {
            Tensor out = Tensor.allocate(value.dtype(), ShapeArgs.shape(in[0]));
            if (!zero) {
                Movement.fill(out.data(), 0, out.size(), value);
            }
            return new Tensor[] {out};
        };
    }
}
