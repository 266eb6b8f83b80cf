package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape and type inference over a graph, node by node with each op's {@link Op#infer}. Along the
 * way it tracks values known before running (initializers, Constant outputs and small computations
 * on them such as Shape→Gather→Concat chains), which lets Reshape and friends infer exact shapes.
 */
public final class TypeInference {
    /** Constant results larger than this many elements are not kept (they are computed at run time). */
    private static final int MAX_FOLDED_ELEMENTS = 1 << 16;

    private final OpRegistry registry;
    private final Map<String, Long> opsets;

    private final Map<Graph, Boolean> inferredSubgraphs = new IdentityHashMap<>();

    private TypeInference(OpRegistry registry, Map<String, Long> opsets) {
        this.registry = registry;
        this.opsets = opsets;
    }

    /** Infers every value type of the model in place; returns the values known to be constant. */
    public static Map<Value, Tensor> run(Model model) {
        return run(model, OpRegistry.standard());
    }

    public static Map<Value, Tensor> run(Model model, OpRegistry registry) {
        TypeInference ti = new TypeInference(registry, model.opsets());
        Map<Value, Tensor> constants = new IdentityHashMap<>();
        ti.inferGraph(model.graph(), constants);
        return constants;
    }

    /**
     * Inference for a graph being built node by node (an importer that needs shapes as it goes):
     * {@link Incremental#infer} types one new node from the values inferred so far.
     */
    public static Incremental incremental(Model model) {
        return new Incremental(new TypeInference(OpRegistry.standard(), model.opsets()));
    }

    /** See {@link #incremental}. */
    public static final class Incremental {
        private final TypeInference ti;
        private final Map<Value, Tensor> constants = new IdentityHashMap<>();

        private Incremental(TypeInference ti) {
            this.ti = ti;
        }

        /** Infers the output types of n, whose inputs are inputs, initializers or outputs of inferred nodes. */
        public void infer(Node n) {
            for (Value v : n.inputs()) {
                if (v != null && v.isConstant()) {
                    constants.putIfAbsent(v, v.constant().tensor());
                }
            }
            ti.inferNode(n, constants);
        }
    }

    int opsetOf(Node n) {
        Long v = opsets.get(n.domain());
        if (v == null && n.domain().isEmpty()) {
            return Model.DEFAULT_OPSET;
        }
        return v == null ? -1 : v.intValue();
    }

    private void inferGraph(Graph g, Map<Value, Tensor> constants) {
        for (Value init : g.initializers()) {
            constants.put(init, init.constant().tensor());
        }
        for (Node n : g.nodes()) {
            inferNode(n, constants);
        }
    }

    private void inferNode(Node n, Map<Value, Tensor> constants) {
        int opset = opsetOf(n);
        Op op = registry.forNode(n, opset);
        OpContext ctx = new OpContext(n, opset, constants, (sub, types) -> inferSubgraph(sub, types, constants));
        try {
            op.infer(ctx);
        } catch (KilnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        for (Graph sub : n.subgraphs()) {
            if (!inferredSubgraphs.containsKey(sub)) {
                inferSubgraph(sub, List.of(), constants);
            }
        }
        boolean folded = false;
        for (int i = 0; i < n.outputs().size(); i++) {
            Value out = n.output(i);
            if (out == null) {
                continue;
            }
            TensorType inferred = ctx.outputType(i);
            out.setType(merge(inferred, out.type()));
            if (ctx.outputConstant(i) != null) {
                constants.put(out, ctx.outputConstant(i));
                folded = true;
            }
        }
        if (!folded && n.subgraphs().isEmpty() && allInputsConstant(n, constants)) {
            fold(n, op, ctx, constants);
        }
    }

    private static boolean allInputsConstant(Node n, Map<Value, Tensor> constants) {
        boolean any = false;
        for (Value v : n.inputs()) {
            if (v == null) {
                continue;
            }
            Tensor t = constants.get(v);
            if (t == null || t.size() > MAX_FOLDED_ELEMENTS) {
                return false;
            }
            any = true;
        }
        return any || n.inputCount() == 0;
    }

    private static void fold(Node n, Op op, OpContext ctx, Map<Value, Tensor> constants) {
        Tensor[] in = new Tensor[n.inputCount()];
        for (int i = 0; i < in.length; i++) {
            Value v = n.input(i);
            in[i] = v == null ? null : constants.get(v);
        }
        Tensor[] out;
        try {
            out = op.prepare(ctx).run(in, new SubgraphContext() {
                @Override
                public Parallel parallel() {
                    return Parallel.serial();
                }

                @Override
                public Tensor[] runSubgraph(Graph subgraph, Tensor[] inputs) {
                    throw new UnsupportedOperationException("no subgraphs while folding");
                }
            });
        } catch (RuntimeException e) {
            // Not foldable statically; the executor will compute (and report) it at run time.
            return;
        }
        for (int i = 0; i < n.outputs().size() && i < out.length; i++) {
            Value v = n.output(i);
            if (v != null && out[i] != null && out[i].size() <= MAX_FOLDED_ELEMENTS) {
                constants.put(v, out[i]);
                v.setType(TensorType.of(out[i].dtype(), out[i].shape()));
            }
        }
    }

    private List<TensorType> inferSubgraph(Graph sub, List<TensorType> inputTypes, Map<Value, Tensor> outer) {
        for (int i = 0; i < sub.inputs().size() && i < inputTypes.size(); i++) {
            TensorType t = inputTypes.get(i);
            if (t != null) {
                Value in = sub.inputs().get(i);
                in.setType(merge(t, in.type()));
            }
        }
        inferredSubgraphs.put(sub, Boolean.TRUE);
        inferGraph(sub, outer);
        List<TensorType> out = new ArrayList<>();
        for (Value v : sub.outputs()) {
            out.add(v.type());
        }
        return out;
    }

    /**
     * Combines an inferred type with a declared one: the inferred element type and dims win where
     * known; declared information fills what inference left unknown.
     */
    static TensorType merge(TensorType inferred, TensorType declared) {
        if (inferred == null) {
            return declared;
        }
        if (declared == null) {
            return inferred;
        }
        var dtype = inferred.dtype() != null ? inferred.dtype() : declared.dtype();
        if (!inferred.hasRank()) {
            return declared.hasRank() ? declared.withDtype(dtype) : TensorType.unranked(dtype);
        }
        Dim[] dims = inferred.dims();
        if (declared.hasRank() && declared.rank() == dims.length) {
            for (int i = 0; i < dims.length; i++) {
                if (!dims[i].isKnown() && (declared.dim(i).isKnown() || (dims[i].param() == null && declared.dim(i).param() != null))) {
                    dims[i] = declared.dim(i);
                }
            }
        }
        return new TensorType(dtype, dims);
    }
}
