package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.IntBinary;

/** Add: a + b with numpy broadcasting. */
public final class AddKernel extends Addition {
    public static final AddKernel INSTANCE = new AddKernel();

    private AddKernel() {
        super("Add", 35);
    }

    @Override
    public Kernel prepareInteger(KernelContext ctx, IntegerParams q) {
        Kernel k = IntegerBinary.prepare(ctx, q, IntBinary.Kind.ADD);
        return k != null ? k : super.prepareInteger(ctx, q);
    }
}
