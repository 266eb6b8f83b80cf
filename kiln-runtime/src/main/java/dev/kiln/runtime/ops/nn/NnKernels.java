package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of convolution, matrix products, pooling and resizing. */
public final class NnKernels {
    private NnKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
        r.add(ConvKernel.INSTANCE);
        r.add(GemmKernel.INSTANCE);
        r.add(MatMulKernel.INSTANCE);
        r.add(QuantizeLinearKernel.INSTANCE);
        r.add(DequantizeLinearKernel.INSTANCE);
        r.add(DynamicQuantizeLinearKernel.INSTANCE);
        r.add(AveragePoolKernel.INSTANCE);
        r.add(MaxPoolKernel.INSTANCE);
        r.add(LpPoolKernel.INSTANCE);
        r.add(GlobalAveragePoolKernel.INSTANCE);
        r.add(GlobalMaxPoolKernel.INSTANCE);
        r.add(MaxUnpoolKernel.INSTANCE);
        r.add(ResizeKernel.INSTANCE);
        r.add(UpsampleKernel.INSTANCE);
        r.add(ConvTransposeKernel.INSTANCE);
        r.add(ConvIntegerKernel.INSTANCE);
        r.add(MatMulIntegerKernel.INSTANCE);
        r.add(QLinearConvKernel.INSTANCE);
        r.add(QLinearMatMulKernel.INSTANCE);
        r.add(GridSampleKernel.INSTANCE);
        r.add(RoiAlignKernel.INSTANCE);
    }
}
