package dev.kiln.core.ops;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.kernels.math.Activation;

/**
 * An operator whose kernel can absorb what follows it in the graph: a residual Add, a clamp (Relu,
 * Clip) or an activation, as the executor fuses Conv -> [Add] -> [Relu] chains when no one asks for the
 * intermediate values. The fused kernel receives the node's inputs and, when {@link
 * Fusion#residual()} is set, the residual tensor after them (at index {@link #residualIndex()}).
 */
public interface Fusible {
    /**
     * What the fused kernel does after the op itself: add a residual, clamp to [lo, hi], then apply
     * an activation (HardSwish, Sigmoid, SiLU) exactly as the standalone operators would.
     */
    record Fusion(float lo, float hi, boolean residual, Activation activation) {
        public Fusion(float lo, float hi, boolean residual) {
            this(lo, hi, residual, Activation.NONE);
        }
    }

    /** Position of the residual in the fused kernel's inputs. */
    int residualIndex();

    Kernel prepareFused(OpContext ctx, Fusion fusion);
}
