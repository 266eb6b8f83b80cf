package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** CastLike (opset 15): Cast to the element type of the second input (whose values are ignored). */
public final class CastLikeKernel extends NamedFactory {
    public static final CastLikeKernel INSTANCE = new CastLikeKernel();

    private CastLikeKernel() {
        super("CastLike", 100);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        CastKernel.checkSource(ctx, ctx.inputDtype(0));
        DType to = ctx.inputDtype(1);
        if (to == DType.STRING) {
            throw ctx.error("casting to string tensors is not supported");
        }
        return (in, ec) -> new Tensor[] {CastKernel.convert(in[0], in[1].dtype())};
    }
}
