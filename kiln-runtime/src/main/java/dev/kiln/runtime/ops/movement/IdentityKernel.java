package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.tensor.Tensor;

/** Identity: the input, unchanged (shared, not copied). */
public final class IdentityKernel implements KernelFactory {
    public static final IdentityKernel INSTANCE = new IdentityKernel();

    private IdentityKernel() {
    }

    @Override
    public String opType() {
        return "Identity";
    }

    @Override
    public int opcode() {
        return 101;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> new Tensor[] {in[0]};
    }
}
