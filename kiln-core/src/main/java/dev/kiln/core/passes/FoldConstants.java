package dev.kiln.core.passes;

import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.SubgraphContext;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpContext;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces nodes whose outputs are known before running by initializers holding those outputs.
 *
 * <pre>
 * Before:     Constant -> c;   W (initializer) -> Transpose -> Wt;   x [1x3x240x320] -> Shape -> Gather -> Unsqueeze -> Concat -> s
 * After:      initializers c, Wt and s (under the same names); the nodes are gone
 * Conditions: every input is an initializer, or the op's own inference computes the output
 *             (Constant; Shape and Size of a value with a static shape); no output is a graph
 *             output; never QuantizeLinear / DequantizeLinear (their scales are the calibration
 *             result) nor nodes with subgraphs; the result is not much larger than the inputs
 *             (no ConstantOfShape / Expand / Tile into huge tensors).
 * Formula:    the outputs are computed by the op's own reference kernel, exactly as the executor
 *             would at run time: nothing is re-implemented here.
 * </pre>
 * Nodes are visited in order, so whole chains fold in one run.
 */
public final class FoldConstants extends Pass {
    /** Ops whose results must stay nodes even on constant inputs. */
    private static final Set<String> NEVER_FOLDED = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear");
    /** A fold may grow the model by at most this many elements beyond 4x the inputs it replaces. */
    static final long MAX_GROWTH_ELEMENTS = 1 << 16;

    private static final SubgraphContext SERIAL = new SubgraphContext() {
        @Override
        public Parallel parallel() {
            return Parallel.serial();
        }

        @Override
        public Tensor[] runSubgraph(Graph subgraph, Tensor[] inputs) {
            throw new UnsupportedOperationException("constant folding does not run subgraphs");
        }
    };

    @Override
    public String name() {
        return "constant_folding";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node n : new ArrayList<>(g.nodes())) {
            if (n.graph() != g || NEVER_FOLDED.contains(n.opType()) || !n.subgraphs().isEmpty() || !foldableOutputs(n)) {
                continue;
            }
            Op op = ctx.op(n);
            Tensor[] out = op == null ? null : evaluate(n, op, ctx);
            if (out != null) {
                replaceByInitializers(g, n, out);
                ctx.rewrote("folded '" + n.name() + "' (" + n.opType() + ") into an initializer");
                changed = true;
            }
        }
        return changed;
    }

    /** True when the node has outputs and none is a graph output or returned by a subgraph. */
    private static boolean foldableOutputs(Node n) {
        boolean any = false;
        for (Value o : n.outputs()) {
            if (o != null) {
                if (Rewrites.isReferencedOutsideUses(o)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The node's outputs when they can be known now, else null. */
    private static Tensor[] evaluate(Node n, Op op, PassContext ctx) {
        Map<Value, Tensor> constants = new IdentityHashMap<>();
        boolean allConstant = true;
        long inputElements = 0;
        List<Tensor> in = new ArrayList<>();
        for (Value v : n.inputs()) {
            Tensor t = v == null ? null : v.isConstant() ? v.constant().tensor() : null;
            if (v != null && t == null) {
                allConstant = false;
            }
            if (t != null) {
                constants.put(v, t);
                inputElements += t.size();
            }
            in.add(t);
        }
        OpContext octx = new OpContext(n, ctx.opset(n), constants, null);
        try {
            op.infer(octx);
            Tensor[] known = new Tensor[n.outputs().size()];
            boolean all = true;
            for (int i = 0; i < known.length; i++) {
                known[i] = n.output(i) == null ? null : octx.outputConstant(i);
                all &= n.output(i) == null || known[i] != null;
            }
            if (all) {
                return known;
            }
            if (!allConstant || n.inputCount() == 0) {
                return null;
            }
            Tensor[] out = op.prepare(octx).run(in.toArray(new Tensor[0]), SERIAL);
            long outputElements = 0;
            for (int i = 0; i < n.outputs().size(); i++) {
                if (n.output(i) != null && (i >= out.length || out[i] == null)) {
                    return null;
                }
                outputElements += n.output(i) == null ? 0 : out[i].size();
            }
            if (outputElements > 4 * inputElements + MAX_GROWTH_ELEMENTS) {
                ctx.log().debug("constant_folding: kept '" + n.name() + "' (" + n.opType() + "): its result of "
                        + outputElements + " elements would bloat the model");
                return null;
            }
            return out;
        } catch (RuntimeException e) {
            // not computable now: the executor computes (and reports) it at run time
            ctx.log().debug("constant_folding: kept '" + n.name() + "' (" + n.opType() + "): " + e.getMessage());
            return null;
        }
    }

    /** Each used output becomes an initializer of the same name; the node goes. */
    private static void replaceByInitializers(Graph g, Node n, Tensor[] out) {
        List<Value> added = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n.outputs().size(); i++) {
            Value o = n.output(i);
            if (o == null || o.uses().isEmpty()) {
                continue;
            }
            Value c = g.addConstant(o.name() + "_folded", new ConstTensor(out[i]));
            Rewrites.replaceAllUses(g, o, c);
            added.add(c);
            names.add(o.name());
        }
        g.removeNode(n);
        for (int i = 0; i < added.size(); i++) {
            g.renameValue(added.get(i), names.get(i));
        }
    }
}
