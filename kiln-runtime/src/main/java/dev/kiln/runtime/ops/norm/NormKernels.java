package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of normalisation, softmax, reductions, recurrent and other operators. */
public final class NormKernels {
    private NormKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
    }
}
