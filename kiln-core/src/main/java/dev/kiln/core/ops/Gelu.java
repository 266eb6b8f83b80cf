package dev.kiln.core.ops;

/**
 * Gelu (opset 20): x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2))), or with {@code approximate="tanh"}
 * 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
 */
public final class Gelu extends UnaryElementwiseOp {
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;

    private final boolean tanh;

    public Gelu() {
        this(false);
    }

    private Gelu(boolean tanh) {
        this.tanh = tanh;
    }

    @Override
    public int opcode() {
        return 22;
    }

    @Override
    public QuantKind quantKind() {
        return QuantKind.LUT;
    }

    @Override
    public int minOpset() {
        return 20;
    }

    @Override
    protected UnaryElementwiseOp configure(OpContext ctx) {
        String a = ctx.attrs().getString("approximate", "none");
        if (!a.equals("none") && !a.equals("tanh")) {
            throw ctx.error("attribute approximate must be \"none\" or \"tanh\", found \"" + a + "\"");
        }
        return new Gelu(a.equals("tanh"));
    }

    @Override
    protected double apply(double x) {
        if (tanh) {
            return 0.5 * x * (1 + ElementwiseMath.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
        }
        return 0.5 * x * (1 + ElementwiseMath.erf(x * SQRT_HALF));
    }
}
