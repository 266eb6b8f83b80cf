package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/**
 * Gelu (opset 20): x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2))), or with {@code approximate="tanh"}
 * 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
 */
public final class GeluKernel extends UnaryKernel {
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;

    public static final GeluKernel INSTANCE = new GeluKernel();

    private final boolean tanh;

    private GeluKernel() {
        this(false);
    }

    private GeluKernel(boolean tanh) {
        super("Gelu", 22);
        this.tanh = tanh;
    }

    @Override
    protected UnaryKernel configure(KernelContext ctx) {
        String a = ctx.attrs().getString("approximate", "none");
        if (!a.equals("none") && !a.equals("tanh")) {
            throw ctx.error("attribute approximate must be \"none\" or \"tanh\", found \"" + a + "\"");
        }
        return new GeluKernel(a.equals("tanh"));
    }

    @Override
    protected double apply(double x) {
        if (tanh) {
            return 0.5 * x * (1 + ElementwiseMath.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
        }
        return 0.5 * x * (1 + ElementwiseMath.erf(x * SQRT_HALF));
    }
}
