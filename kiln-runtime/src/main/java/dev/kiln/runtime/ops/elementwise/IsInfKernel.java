package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;

/** IsInf: true where x is +inf (when detect_positive) or -inf (when detect_negative); bool output. */
public final class IsInfKernel extends NamedFactory {
    public static final IsInfKernel INSTANCE = new IsInfKernel();

    private IsInfKernel() {
        super("IsInf", 137);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        boolean pos = ctx.attrs().getInt("detect_positive", 1) != 0;
        boolean neg = ctx.attrs().getInt("detect_negative", 1) != 0;
        return FloatPredicate.prepare(ctx, opType(),
                v -> (pos && v == Double.POSITIVE_INFINITY) || (neg && v == Double.NEGATIVE_INFINITY));
    }
}
