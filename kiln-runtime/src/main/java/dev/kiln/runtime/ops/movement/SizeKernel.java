package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/** Size: the input's element count as an int64 scalar. */
public final class SizeKernel extends NamedFactory {
    public static final SizeKernel INSTANCE = new SizeKernel();

    private SizeKernel() {
        super("Size", 95);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> new Tensor[] {Tensor.scalarLong(in[0].size())};
    }
}
