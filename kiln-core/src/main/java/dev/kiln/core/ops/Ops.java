package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Add());
        r.add(new Constant());
        r.add(new Conv());
        r.add(new ConvInteger());
        r.add(new ConvTranspose());
        r.add(new DequantizeLinear());
        r.add(new DynamicQuantizeLinear());
        r.add(new Gemm());
        r.add(new Identity());
        r.add(new MatMul());
        r.add(new MatMulInteger());
        r.add(new QLinearConv());
        r.add(new QLinearMatMul());
        r.add(new QuantizeLinear());
        r.add(new Relu());
    }
}
