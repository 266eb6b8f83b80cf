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
        r.add(new Compress());
        r.add(new Concat());
        r.add(new Constant());
        r.add(new ConstantOfShape());
        r.add(new Conv());
        r.add(new ConvInteger());
        r.add(new ConvTranspose());
        r.add(new CumSum());
        r.add(new DepthToSpace());
        r.add(new DequantizeLinear());
        r.add(new Det());
        r.add(new DynamicQuantizeLinear());
        r.add(new Einsum());
        r.add(new Expand());
        r.add(new EyeLike());
        r.add(new Flatten());
        r.add(new Gather());
        r.add(new GatherElements());
        r.add(new GatherND());
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
        r.add(new NonZero());
        r.add(new OneHot());
        r.add(new Pad());
        r.add(new QLinearConv());
        r.add(new QLinearMatMul());
        r.add(new QuantizeLinear());
        r.add(new Range());
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
        r.add(new Reshape());
        r.add(new ReverseSequence());
        r.add(new Scatter());
        r.add(new ScatterElements());
        r.add(new ScatterND());
        r.add(new Shape());
        r.add(new Size());
        r.add(new Slice());
        r.add(new Softmax());
        r.add(new SpaceToDepth());
        r.add(new Split());
        r.add(new Squeeze());
        r.add(new Tile());
        r.add(new TopK());
        r.add(new Transpose());
        r.add(new Trilu());
        r.add(new Unsqueeze());
    }
}
