package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Add());
        r.add(new ArgMax());
        r.add(new ArgMin());
        r.add(new BatchNormalization());
        r.add(new Constant());
        r.add(new Conv());
        r.add(new ConvInteger());
        r.add(new ConvTranspose());
        r.add(new CumSum());
        r.add(new DequantizeLinear());
        r.add(new Det());
        r.add(new DynamicQuantizeLinear());
        r.add(new Einsum());
        r.add(new Gemm());
        r.add(new GroupNormalization());
        r.add(new Hardmax());
        r.add(new Identity());
        r.add(new InstanceNormalization());
        r.add(new LRN());
        r.add(new LayerNormalization());
        r.add(new LogSoftmax());
        r.add(new LpNormalization());
        r.add(new MatMul());
        r.add(new MatMulInteger());
        r.add(new MeanVarianceNormalization());
        r.add(new NonMaxSuppression());
        r.add(new QLinearConv());
        r.add(new QLinearMatMul());
        r.add(new QuantizeLinear());
        r.add(new ReduceL1());
        r.add(new ReduceL2());
        r.add(new ReduceLogSum());
        r.add(new ReduceLogSumExp());
        r.add(new ReduceMax());
        r.add(new ReduceMean());
        r.add(new ReduceMin());
        r.add(new ReduceProd());
        r.add(new ReduceSum());
        r.add(new ReduceSumSquare());
        r.add(new Relu());
        r.add(new Softmax());
        r.add(new TopK());
    }
}
