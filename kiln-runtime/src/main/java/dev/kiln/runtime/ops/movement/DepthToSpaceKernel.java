package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Tensor;

/**
 * DepthToSpace: moves blocks of channels into b x b spatial blocks, [N, C, H, W] to
 * [N, C / b², H·b, W·b]. Mode DCR (default) takes the block offset from the outer channel bits,
 * CRD (opset 11) from the inner ones, as PixelShuffle does.
 */
public final class DepthToSpaceKernel extends NamedFactory {
    public static final DepthToSpaceKernel INSTANCE = new DepthToSpaceKernel();

    private DepthToSpaceKernel() {
        super("DepthToSpace", 79);
    }

    /** The blocksize attribute (required, positive); shared with SpaceToDepth. */
    public static int blocksize(KernelContext ctx) {
        long b = ctx.attrs().getInt("blocksize", -1);
        if (b < 1) {
            throw ctx.error("needs a positive blocksize attribute; found " + (b == -1 ? "none" : b));
        }
        return (int) b;
    }

    /** True for mode CRD, false for DCR (the only mode before opset 11). */
    public static boolean crd(KernelContext ctx) {
        String m = ctx.opset() >= 11 ? ctx.attrs().getString("mode", "DCR") : "DCR";
        if (!m.equals("DCR") && !m.equals("CRD")) {
            throw ctx.error("mode must be DCR or CRD; found '" + m + "'");
        }
        return m.equals("CRD");
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        int b = blocksize(ctx);
        boolean crd = crd(ctx);
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s.length != 4 || s[1] % (b * b) != 0) {
                throw new IllegalArgumentException("expects a 4-D input with channels a multiple of " + b * b
                        + ", found " + java.util.Arrays.toString(s));
            }
            int c = s[1] / (b * b);
            Tensor t = crd
                    ? Movement.transpose(x, new int[] {s[0], c, b, b, s[2], s[3]}, new int[] {0, 1, 4, 2, 5, 3}, ec.parallel())
                    : Movement.transpose(x, new int[] {s[0], b, b, c, s[2], s[3]}, new int[] {0, 3, 4, 1, 5, 2}, ec.parallel());
            return new Tensor[] {t.reshape(s[0], c, s[2] * b, s[3] * b)};
        };
    }
}
