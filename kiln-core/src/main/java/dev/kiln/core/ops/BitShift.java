package dev.kiln.core.ops;

import dev.kiln.runtime.tensor.DType;

/** BitShift: x shifted left or right ({@code direction}) by y bits, unsigned integers, numpy broadcasting. */
public final class BitShift extends BinaryElementwiseOp {
    private final boolean left;

    public BitShift() {
        this(true);
    }

    private BitShift(boolean left) {
        this.left = left;
    }

    @Override
    public int opcode() {
        return 138;
    }

    @Override
    public int minOpset() {
        return 11;
    }

    @Override
    protected boolean accepts(DType t) {
        return t == DType.UINT8 || t == DType.UINT16 || t == DType.UINT32 || t == DType.UINT64;
    }

    @Override
    protected BinaryElementwiseOp configure(OpContext ctx) {
        String d = ctx.attrs().getString("direction", null);
        if (!"LEFT".equals(d) && !"RIGHT".equals(d)) {
            throw ctx.error("attribute direction must be \"LEFT\" or \"RIGHT\", found " + (d == null ? "none" : "\"" + d + "\""));
        }
        return new BitShift("LEFT".equals(d));
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
