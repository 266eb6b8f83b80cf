package dev.kiln.core.passes;

import dev.kiln.core.ir.Graph;

/**
 * One graph rewrite of the optimize stage, named verb + pattern ({@code FoldBatchNormIntoConv}).
 * A pass rewrites every match it finds in one call, logs each rewrite by node name through
 * {@link PassContext#rewrote}, and says whether it changed anything; the {@link PassManager} runs
 * the passes again until none does. Value types are inferred before each call; values a pass
 * creates may have unknown types until the next one.
 */
public abstract class Pass {
    /** The name used in the log, in snake case ({@code fold_bn_into_conv}). */
    public abstract String name();

    /** Rewrites the graph; true when anything changed. */
    public abstract boolean run(Graph g, PassContext ctx);

    @Override
    public String toString() {
        return name();
    }
}
