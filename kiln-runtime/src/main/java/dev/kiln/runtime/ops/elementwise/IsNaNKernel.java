package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;

/** IsNaN: true where x is NaN; float inputs, bool output. */
public final class IsNaNKernel extends NamedFactory {
    public static final IsNaNKernel INSTANCE = new IsNaNKernel();

    private IsNaNKernel() {
        super("IsNaN", 136);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return FloatPredicate.prepare(ctx, opType(), v -> v != v);
    }
}
