package dev.kiln.core.passes;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.core.ops.TypeInference;

import java.util.List;

/**
 * Runs an ordered list of passes over a model's main graph, round after round, until a whole round
 * changes nothing (a fixed point) or the round cap is reached, which is logged as a warning. Value
 * types are re-inferred before a pass whenever an earlier one changed the graph, and once more at
 * the end so that exported models carry correct types. With verification on (tests), the IR is
 * checked after every pass and a broken graph fails naming the pass.
 *
 * <p>Each pass run that changes the graph logs a summary in hb_mapper's words:
 * {@code Summary info for constant_folding: the number of nodes has changed from 316 to 308}.
 */
public final class PassManager {
    /** Rounds before giving up on a fixed point; real models settle in two or three. */
    public static final int DEFAULT_MAX_ROUNDS = 10;

    private final List<Pass> passes;
    private int maxRounds = DEFAULT_MAX_ROUNDS;
    private boolean verify = Boolean.getBoolean("kiln.passes.verify");
    private OpRegistry registry = OpRegistry.standard();

    /** What a run did. */
    public record Result(int nodesBefore, int nodesAfter, int rounds, boolean converged, boolean changed) {
    }

    public PassManager(List<? extends Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** Caps the number of rounds (at least 1). */
    public PassManager withMaxRounds(int rounds) {
        this.maxRounds = Math.max(1, rounds);
        return this;
    }

    /** Checks the IR with {@link IrVerifier} after every pass (on in tests; -Dkiln.passes.verify=true). */
    public PassManager withVerification(boolean on) {
        this.verify = on;
        return this;
    }

    /** The operators known to type inference and constant folding (custom ops included). */
    public PassManager withRegistry(OpRegistry r) {
        this.registry = r;
        return this;
    }

    public List<Pass> passes() {
        return passes;
    }

    public Result run(Model model, PassLog log) {
        Graph g = model.graph();
        PassContext ctx = new PassContext(model, registry, log);
        int start = g.nodes().size();
        boolean typesStale = true;
        boolean anyChange = false;
        int round = 0;
        boolean converged = false;
        while (round < maxRounds) {
            round++;
            boolean changed = false;
            for (Pass p : passes) {
                if (typesStale) {
                    TypeInference.run(model, registry);
                    typesStale = false;
                }
                int before = g.nodes().size();
                ctx.startPass(p.name());
                boolean did = runOne(p, g, ctx);
                if (did) {
                    changed = true;
                    typesStale = true;
                    log.info("Summary info for " + p.name() + ": the number of nodes has changed from " + before
                            + " to " + g.nodes().size());
                }
                if (verify) {
                    List<String> problems = IrVerifier.check(g);
                    if (!problems.isEmpty()) {
                        throw new KilnException("the graph is broken after pass " + p.name() + ": "
                                + String.join("; ", problems));
                    }
                }
            }
            anyChange |= changed;
            if (!changed) {
                converged = true;
                break;
            }
        }
        if (!converged) {
            log.warn("graph optimization stopped after " + maxRounds + " rounds without reaching a fixed point;"
                    + " the model is still correct but may not be fully optimized");
        }
        if (typesStale) {
            TypeInference.run(model, registry);
        }
        return new Result(start, g.nodes().size(), round, converged, anyChange);
    }

    private static boolean runOne(Pass p, Graph g, PassContext ctx) {
        try {
            return p.run(g, ctx);
        } catch (KilnException e) {
            throw new KilnException("graph optimization failed in pass " + p.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new KilnException("graph optimization failed in pass " + p.name() + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }
}
