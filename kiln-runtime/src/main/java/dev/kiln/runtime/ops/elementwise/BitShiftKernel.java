package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;

/** BitShift: x shifted left or right ({@code direction}) by y bits, unsigned integers, numpy broadcasting. */
public final class BitShiftKernel extends BinaryKernel {
    public static final BitShiftKernel INSTANCE = new BitShiftKernel();

    private final boolean left;

    private BitShiftKernel() {
        this(true);
    }

    private BitShiftKernel(boolean left) {
        super("BitShift", 138);
        this.left = left;
    }

    @Override
    protected boolean accepts(DType t) {
        return t == DType.UINT8 || t == DType.UINT16 || t == DType.UINT32 || t == DType.UINT64;
    }

    @Override
    protected BinaryKernel configure(KernelContext ctx) {
        String d = ctx.attrs().getString("direction", null);
        if (!"LEFT".equals(d) && !"RIGHT".equals(d)) {
            throw ctx.error("attribute direction must be \"LEFT\" or \"RIGHT\", found " + (d == null ? "none" : "\"" + d + "\""));
        }
        return new BitShiftKernel("LEFT".equals(d));
    }

    @Override
    protected double apply(double a, double b) {
        throw new UnsupportedOperationException("BitShift takes unsigned integers only");
    }

    @Override
    protected long applyLong(long a, long b) {
        // shifting by the type's width or more leaves no bits (narrow types are wrapped on store)
        if (Long.compareUnsigned(b, 64) >= 0) {
            return 0;
        }
        return left ? a << b : a >>> b;
    }
}
