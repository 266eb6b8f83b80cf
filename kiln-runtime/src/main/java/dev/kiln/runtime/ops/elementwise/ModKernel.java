package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;

/**
 * Mod: remainder with numpy broadcasting. {@code fmod=1} is C's fmod (sign of the dividend, the
 * only mode allowed for floats); {@code fmod=0} is the integer modulus with the sign of the divisor.
 */
public final class ModKernel extends BinaryKernel {
    public static final ModKernel INSTANCE = new ModKernel();

    private final boolean fmod;

    private ModKernel() {
        this(false);
    }

    private ModKernel(boolean fmod) {
        super("Mod", 39);
        this.fmod = fmod;
    }

    @Override
    protected BinaryKernel configure(KernelContext ctx) {
        long f = ctx.attrs().getInt("fmod", 0);
        if (f != 0 && f != 1) {
            throw ctx.error("attribute fmod must be 0 or 1, found " + f);
        }
        var t = ctx.inputDtype(0);
        if (f == 0 && t != null && t.isFloatingPoint()) {
            throw ctx.error("fmod must be 1 for floating-point inputs (" + t + "), found 0");
        }
        return new ModKernel(f == 1);
    }

    @Override
    protected double apply(double a, double b) {
        if (!fmod) {
            throw new IllegalArgumentException("Mod with fmod=0 does not accept floating-point inputs");
        }
        return a % b;
    }

    @Override
    protected float applyFloat(float a, float b) {
        return (float) apply(a, b);
    }

    @Override
    protected long applyLong(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("integer modulus by zero");
        }
        return fmod ? a % b : Math.floorMod(a, b);
    }

    @Override
    protected long applyUnsigned64(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("integer modulus by zero");
        }
        return Long.remainderUnsigned(a, b);
    }
}
