package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;

import java.util.List;

/**
 * The optimize stage of makertbin (SPEC section 6): the standard passes, in order, run to a fixed
 * point. The result computes the same outputs as the input model (rtol 1e-4, atol 1e-5) under the
 * same output names, with fewer nodes.
 */
public final class Optimizer {
    private Optimizer() {
    }

    /**
     * The standard passes in the order they run in each round: first constants, no-op nodes and
     * repeated computations go (which exposes patterns), then layout ops merge, then arithmetic folds into Conv/Gemm, and
     * last the dead nodes and weights left behind are dropped.
     */
    public static List<Pass> standardPasses() {
        return List.of(
                new FoldConstants(),
                new EliminateIdentity(),
                new EliminateDropout(),
                new EliminateCastToSameType(),
                new EliminateNoOpReshape(),
                new EliminateNoOpTranspose(),
                new EliminateNoOpPad(),
                new EliminateNoOpArithmetic(),
                new EliminateCommonSubexpressions(),
                new FuseConsecutiveTransposes(),
                new FuseConsecutiveReshapes(),
                new FoldBatchNormIntoConv(),
                new FoldMulAddIntoConv(),
                new FoldInputMulAddIntoConv(),
                new FoldPadIntoConv(),
                new FuseMatMulAddIntoGemm(),
                new RemoveDeadNodes(),
                new RemoveUnusedInitializers());
    }

    /** Optimizes the model in place with the standard passes; logs a summary line per pass that changed it. */
    public static PassManager.Result optimize(Model m, PassLog log) {
        return standardManager().run(m, log);
    }

    /** The standard passes in a manager, for callers that set verification or a registry of their own. */
    public static PassManager standardManager() {
        return new PassManager(standardPasses());
    }
}
