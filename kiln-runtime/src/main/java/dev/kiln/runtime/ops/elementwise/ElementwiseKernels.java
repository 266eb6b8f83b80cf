package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of one-input and two-input elementwise operators, Clip, Cast. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
    }
}
