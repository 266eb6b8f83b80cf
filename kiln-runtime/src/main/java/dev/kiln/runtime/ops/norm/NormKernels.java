package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of normalisation, softmax, reductions, recurrent and other operators. */
public final class NormKernels {
    private NormKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
        r.add(ArgKernel.ARG_MAX);
        r.add(ArgKernel.ARG_MIN);
        r.add(BatchNormalizationKernel.INSTANCE);
        r.add(CumSumKernel.INSTANCE);
        r.add(DetKernel.INSTANCE);
        r.add(EinsumKernel.INSTANCE);
        r.add(GRUKernel.INSTANCE);
        r.add(GroupNormalizationKernel.INSTANCE);
        r.add(SoftmaxKernel.HARDMAX);
        r.add(InstanceNormalizationKernel.INSTANCE);
        r.add(LRNKernel.INSTANCE);
        r.add(LSTMKernel.INSTANCE);
        r.add(LayerNormalizationKernel.INSTANCE);
        r.add(SoftmaxKernel.LOG_SOFTMAX);
        r.add(LpNormalizationKernel.INSTANCE);
        r.add(MeanVarianceNormalizationKernel.INSTANCE);
        r.add(NonMaxSuppressionKernel.INSTANCE);
        r.add(RNNKernel.INSTANCE);
        r.add(ReduceKernel.L1);
        r.add(ReduceKernel.L2);
        r.add(ReduceKernel.LOG_SUM);
        r.add(ReduceKernel.LOG_SUM_EXP);
        r.add(ReduceKernel.MAX);
        r.add(ReduceKernel.MEAN);
        r.add(ReduceKernel.MIN);
        r.add(ReduceKernel.PROD);
        r.add(ReduceKernel.SUM);
        r.add(ReduceKernel.SUM_SQUARE);
        r.add(SoftmaxKernel.SOFTMAX);
        r.add(TopKKernel.INSTANCE);
    }
}
