package dev.kiln.core.passes;

import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The graph surgery the passes share: finding a value's only reader, moving references from one
 * value to another without renaming graph outputs, replacing constant inputs without touching
 * weights that other nodes share.
 */
final class Rewrites {
    private Rewrites() {
    }

    /**
     * The one node reading v, when v has exactly one use, is not a graph output and no subgraph
     * returns it; else null. A producer whose output has a sole consumer may be merged with it.
     */
    static Node soleConsumer(Value v) {
        if (v == null || v.uses().size() != 1 || isReferencedOutsideUses(v)) {
            return null;
        }
        return v.uses().get(0).node();
    }

    /** True when v is a graph output of its own graph or is returned by a subgraph (no use records either). */
    static boolean isReferencedOutsideUses(Value v) {
        return v.isGraphOutput() || subgraphOutputs(v.owner()).contains(v);
    }

    /** Every value that a subgraph (at any depth) under g returns as an output. */
    static List<Value> subgraphOutputs(Graph g) {
        List<Value> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                out.addAll(sub.outputs());
                out.addAll(subgraphOutputs(sub));
            }
        }
        return out;
    }

    /** The constant tensor of input i when it is an initializer, else null. */
    static Tensor constantInput(Node n, int i) {
        Value v = n.input(i);
        return v != null && v.isConstant() ? v.constant().tensor() : null;
    }

    /** The value's shape when fully known, else null. */
    static int[] staticShape(Value v) {
        return v != null && v.type().isStatic() ? v.type().shape() : null;
    }

    static boolean isFloat(Value v) {
        return v != null && v.type().dtype() == DType.FLOAT;
    }

    /** True when repl may stand in for old: old is no graph output, or repl can take old's name. */
    static boolean canReplace(Value old, Value repl) {
        return !old.isGraphOutput() || canTakeName(repl);
    }

    /** A value computed by a node of its graph that is no graph output itself can be renamed. */
    private static boolean canTakeName(Value v) {
        return v.producer() != null && v.producer().graph() == v.owner() && !v.isGraphOutput()
                && !subgraphOutputs(v.owner()).contains(v);
    }

    /** Points every reference to old (uses, graph outputs, subgraph outputs) at repl. */
    static void replaceAllUses(Graph g, Value old, Value repl) {
        g.replaceAllUses(old, repl);
        replaceInSubgraphOutputs(g, old, repl);
    }

    private static void replaceInSubgraphOutputs(Graph g, Value old, Value repl) {
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                for (int i = 0; i < sub.outputs().size(); i++) {
                    if (sub.outputs().get(i) == old) {
                        sub.setOutput(i, repl);
                    }
                }
                replaceInSubgraphOutputs(sub, old, repl);
            }
        }
    }

    /**
     * Removes node, whose output old is from now on computed as repl. A graph output keeps its
     * name (repl is renamed); with takeName, repl takes old's name in any case (when it can), so
     * that a tensor keeps the name it had in the source model (Conv+BN: the Conv output becomes
     * the BN output). The node's other outputs must be unused.
     */
    static void replaceOutput(Graph g, Node node, Value old, Value repl, boolean takeName) {
        boolean mustRename = old.isGraphOutput();
        if (mustRename && !canTakeName(repl)) {
            throw new IllegalStateException("cannot replace graph output " + old.name() + " by " + repl.name());
        }
        boolean rename = mustRename || (takeName && canTakeName(repl));
        String name = old.name();
        if (!repl.type().hasRank() && old.type().hasRank()) {
            repl.setType(old.type());
        }
        replaceAllUses(g, old, repl);
        g.removeNode(node);
        if (rename) {
            g.renameValue(repl, name);
        }
    }

    /**
     * Sets input i of n to the constant t: the initializer is updated in place when it feeds only
     * this input, otherwise a new initializer (named after the old one) takes its place.
     */
    static void setConstantInput(Graph g, Node n, int i, Tensor t, String baseName) {
        Value v = n.input(i);
        if (v != null && v.isConstant() && v.owner() == g && v.uses().size() == 1 && !isReferencedOutsideUses(v)) {
            g.setInitializer(v, new ConstTensor(t));
            return;
        }
        Value c = g.addConstant(v != null ? v.name() : baseName, new ConstTensor(t));
        n.setInput(i, c);
    }

    /** The values of a float or double constant as doubles. */
    static double[] doubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDouble(i);
        }
        return d;
    }

    /** A float32 tensor of the given shape from doubles (rounded once). */
    static Tensor floats(double[] v, int... shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, shape);
    }
}
