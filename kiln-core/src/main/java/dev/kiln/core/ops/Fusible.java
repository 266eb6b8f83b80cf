package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;

/**
 * An operator whose kernel can absorb what follows it in the graph: a clamp (Relu, Clip) and a
 * residual Add, as the executor fuses Conv -> [Add] -> [Relu] chains when no one asks for the
 * intermediate values. The fused kernel receives the node's inputs and, when {@link
 * Fusion#residual()} is set, the residual tensor after them (at index {@link #residualIndex()}).
 */
public interface Fusible {
    /** What the fused kernel does after the op itself: add a residual, then clamp to [lo, hi]. */
    record Fusion(float lo, float hi, boolean residual) {
    }

    /** Position of the residual in the fused kernel's inputs. */
    int residualIndex();

    Kernel prepareFused(OpContext ctx, Fusion fusion);
}
