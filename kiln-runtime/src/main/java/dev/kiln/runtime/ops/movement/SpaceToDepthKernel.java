package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/** SpaceToDepth: the inverse of DepthToSpace (DCR), [N, C, H, W] to [N, C·b², H / b, W / b]. */
public final class SpaceToDepthKernel extends NamedFactory {
    public static final SpaceToDepthKernel INSTANCE = new SpaceToDepthKernel();

    private SpaceToDepthKernel() {
        super("SpaceToDepth", 80);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        int b = DepthToSpaceKernel.blocksize(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s.length != 4 || s[2] % b != 0 || s[3] % b != 0) {
                throw new IllegalArgumentException("expects a 4-D input with spatial dims multiples of " + b
                        + ", found " + java.util.Arrays.toString(s));
            }
            int h = s[2] / b;
            int w = s[3] / b;
            Tensor t = Movement.transpose(x, new int[] {s[0], s[1], h, b, w, b}, new int[] {0, 3, 5, 1, 2, 4},
                    ec.parallel());
            return new Tensor[] {t.reshape(s[0], s[1] * b * b, h, w)};
        };
    }
}
