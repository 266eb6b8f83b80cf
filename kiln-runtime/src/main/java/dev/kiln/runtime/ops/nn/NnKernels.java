package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of convolution, matrix products, pooling and resizing. */
public final class NnKernels {
    private NnKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
    }
}
