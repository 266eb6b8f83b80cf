package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Dropout in inference mode: the output is the input. The optional mask is all true from opset 12;
 * before that ONNX leaves it undefined and, like ONNX Runtime, Kiln returns it all false (of the
 * input's type before opset 10, bool after). Training mode (the {@code training_mode} input, opset
 * 12) is only deterministic, and therefore only accepted, with a ratio of 0.
 */
public final class DropoutKernel extends NamedFactory {
    public static final DropoutKernel INSTANCE = new DropoutKernel();

    private DropoutKernel() {
        super("Dropout", 102);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        boolean mask = ctx.outputCount() > 1 && ctx.hasOutput(1);
        boolean boolMask = ctx.opset() >= 10;
        boolean maskValue = ctx.opset() >= 12;
        if (ctx.opset() >= 12) {
            Tensor training = ctx.constant(2);
            Tensor ratio = ctx.constant(1);
            if (training != null && training.size() == 1 && training.getBool(0)
                    && (!ctx.hasInput(1) || (ratio != null && ratio.getDouble(0) != 0))) {
                throw ctx.error("training_mode is true: random dropout is not supported (Kiln runs inference;"
                        + " set training_mode to false or remove the input)");
            }
        }
        return (in, ec) -> {
            Tensor x = in[0];
            if (in.length > 2 && in[2] != null && in[2].getBool(0)) {
                double r = in.length > 1 && in[1] != null ? in[1].getDouble(0) : 0.5;
                if (r != 0) {
                    throw new IllegalArgumentException("training_mode is true with ratio " + r
                            + ": random dropout is not supported (Kiln runs inference)");
                }
            }
            if (!mask) {
                return new Tensor[] {x};
            }
            Tensor m = Tensor.allocate(boolMask ? DType.BOOL : x.dtype(), x.shape());
            if (maskValue) {
                java.util.Arrays.fill(m.bytes(), (byte) 1);
            }
            return new Tensor[] {x, m};
        };
    }
}
