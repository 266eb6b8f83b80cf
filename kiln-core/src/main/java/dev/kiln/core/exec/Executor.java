package dev.kiln.core.exec;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.SubgraphContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpContext;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model's graph on named inputs with each op's float reference kernel. Kernels are prepared
 * once (attributes parsed, constant weights packed); a run keeps each intermediate tensor only
 * until its last consumer has run, unless a listener or the keep set asks for it. One executor may
 * serve several threads at once.
 */
public final class Executor {
    /**
     * Called with every value a run produces (node outputs, and graph inputs). The tensor is valid
     * during the call only: its storage may be recycled once the value's last consumer has run, so a
     * listener that keeps tensors must copy them (or name them in {@link RunOptions#keep}).
     */
    @FunctionalInterface
    public interface ValueListener {
        void onValue(Value value, Tensor tensor);
    }

    /** What a run keeps besides the graph outputs, and who is told about each value. */
    public record RunOptions(Set<String> keep, ValueListener listener) {
        public static final RunOptions DEFAULT = new RunOptions(Set.of(), null);
    }

    private final Model model;
    private final Map<Value, Tensor> constants;
    private final Map<Node, Kernel> kernels = new IdentityHashMap<>();
    private final Map<Graph, Plan> plans = new IdentityHashMap<>();
    /** The main graph with Conv -> Add -> Relu chains fused, for runs that need no intermediate values. */
    private final Plan fusedPlan;
    /** For quantized models: the integer program, used by every run of the main graph. */
    private final Plan quantizedPlan;
    private final Parallel parallel;
    private final java.util.concurrent.ConcurrentLinkedQueue<dev.kiln.runtime.tensor.BufferPool> idlePools =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Upper bound of the storage one run's pool keeps for reuse. */
    private static final long POOL_BYTES = 1L << 30;

    /** Per-graph schedule: the steps in order and, after each, the values no longer needed. */
    private static final class Plan {
        final List<Step> steps;
        final Map<Step, List<Value>> releaseAfter = new IdentityHashMap<>();

        Plan(Graph g, List<Step> steps) {
            this.steps = steps;
            Map<Value, Step> lastUse = new IdentityHashMap<>();
            for (Step st : steps) {
                for (Value v : st.inputs()) {
                    if (v != null && v.owner() == g) {
                        lastUse.put(v, st);
                    }
                }
                for (Value v : st.implicitInputs()) {
                    if (v.owner() == g) {
                        lastUse.put(v, st);
                    }
                }
            }
            for (Step st : steps) {
                for (Value o : st.outputs()) {
                    if (o != null && !lastUse.containsKey(o)) {
                        lastUse.put(o, st);
                    }
                }
            }
            for (Map.Entry<Value, Step> e : lastUse.entrySet()) {
                Value v = e.getKey();
                if (!g.outputs().contains(v) && !v.isConstant()) {
                    releaseAfter.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(v);
                }
            }
        }
    }

    public Executor(Model model) {
        this(model, Parallel.defaultThreads());
    }

    public Executor(Model model, int threads) {
        this(model, threads, OpRegistry.standard());
    }

    public Executor(Model model, int threads, OpRegistry registry) {
        this(model, threads, registry, true);
    }

    /**
     * @param fuseActivations for quantized models: run a Relu/Clip behind an integer node through a
     *                        requantization of the same scale as part of that node's step (the
     *                        default) or as a step of its own; the values are the same
     */
    public Executor(Model model, int threads, OpRegistry registry, boolean fuseActivations) {
        this.model = model;
        this.parallel = Parallel.of(threads);
        this.constants = TypeInference.run(model, registry);
        prepareGraph(model.graph(), registry);
        Graph main = model.graph();
        // quantized (QDQ) models run their integer program, always; float models fuse Conv chains when
        // no one needs the intermediates (-Dkiln.fuse=false runs every node on its own)
        if (QdqLowering.applies(main)) {
            this.quantizedPlan = new Plan(main, QdqLowering.plan(main, kernels, constants, registry, this::opsetOf, fuseActivations));
            this.fusedPlan = quantizedPlan;
        } else {
            this.quantizedPlan = null;
            this.fusedPlan = Boolean.parseBoolean(System.getProperty("kiln.fuse", "true"))
                    ? new Plan(main, FusionPlanner.plan(main, kernels, constants, registry, this::opsetOf))
                    : plans.get(main);
        }
    }

    private void prepareGraph(Graph g, OpRegistry registry) {
        for (Node n : g.nodes()) {
            int opset = opsetOf(n);
            Op op = registry.forNode(n, opset);
            OpContext ctx = new OpContext(n, opset, constants, null);
            try {
                kernels.put(n, op.prepare(ctx));
            } catch (KilnException e) {
                throw e;
            } catch (RuntimeException e) {
                throw ctx.error(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            for (Graph sub : n.subgraphs()) {
                prepareGraph(sub, registry);
            }
        }
        List<Step> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            steps.add(Step.of(n, kernels.get(n)));
        }
        plans.put(g, new Plan(g, steps));
    }

    private int opsetOf(Node n) {
        int v = model.opset(n.domain());
        return v < 0 && n.domain().isEmpty() ? Model.DEFAULT_OPSET : v;
    }

    public Model model() {
        return model;
    }

    /** What each step of a plain run computes ("Conv+Add+Relu", "Relu"...), in order; for tests. */
    List<String> plainRunSteps() {
        List<String> out = new ArrayList<>();
        for (Step st : fusedPlan.steps) {
            out.add(st.label());
        }
        return out;
    }

    public int threads() {
        return parallel.threads();
    }

    /** Runs the model; returns the graph outputs by name, in the graph's output order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, RunOptions.DEFAULT);
    }

    /** Runs the model; the result holds the graph outputs and every value named in options.keep(). */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, RunOptions options) {
        dev.kiln.runtime.tensor.BufferPool pool = idlePools.poll();
        if (pool == null) {
            pool = new dev.kiln.runtime.tensor.BufferPool(POOL_BYTES);
        }
        dev.kiln.runtime.tensor.BufferPool p = pool;
        try {
            return pool.use(() -> runPooled(inputs, options, p));
        } finally {
            pool.forgetAll();
            idlePools.offer(pool);
        }
    }

    private Map<String, Tensor> runPooled(Map<String, Tensor> inputs, RunOptions options,
                                          dev.kiln.runtime.tensor.BufferPool pool) {
        Graph g = model.graph();
        checkInputNames(g, inputs);
        Frame frame = new Frame(null);
        for (Value in : g.inputs()) {
            Tensor t = inputs.get(in.name());
            checkInput(in, t);
            frame.env.put(in, t);
            if (options.listener() != null) {
                options.listener().onValue(in, t);
            }
        }
        Map<String, Tensor> kept = new LinkedHashMap<>();
        RunState state = new RunState(pool);
        runGraph(g, frame, options, kept, state);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Value out : g.outputs()) {
            result.put(out.name(), frame.lookup(out));
        }
        for (Map.Entry<String, Tensor> e : kept.entrySet()) {
            result.putIfAbsent(e.getKey(), e.getValue());
        }
        return result;
    }

    private static void checkInputNames(Graph g, Map<String, Tensor> inputs) {
        List<String> names = new ArrayList<>();
        for (Value in : g.inputs()) {
            names.add(in.name());
        }
        for (String k : inputs.keySet()) {
            if (!names.contains(k)) {
                throw new KilnException("the model has no input named '" + k + "'; its inputs are " + names);
            }
        }
        for (String n : names) {
            if (!inputs.containsKey(n)) {
                throw new KilnException("missing input '" + n + "'; the model's inputs are " + names);
            }
        }
    }

    /** Fails when a tensor does not fit a declared input type (element type, rank, known dims). */
    public static void checkInput(Value declared, Tensor t) {
        TensorType type = declared.type();
        if (type.dtype() != null && type.dtype() != t.dtype()) {
            throw new KilnException("input '" + declared.name() + "' expects " + type.dtype() + " " + type
                    + " but was given " + t.dtype() + " " + Shapes.toString(t.shape()));
        }
        if (type.hasRank()) {
            boolean ok = type.rank() == t.rank();
            for (int i = 0; ok && i < t.rank(); i++) {
                ok = !type.dim(i).isKnown() || type.dim(i).value() == t.dim(i);
            }
            if (!ok) {
                throw new KilnException("input '" + declared.name() + "' expects shape " + type
                        + " but was given " + Shapes.toString(t.shape()));
            }
        }
    }

    /**
     * Storage bookkeeping of one run: how many live values use each array, so an array goes back to
     * the pool only when the last value using it (views included) has been released.
     */
    private static final class RunState {
        final dev.kiln.runtime.tensor.BufferPool pool;
        final Map<Object, Integer> users = new IdentityHashMap<>();

        RunState(dev.kiln.runtime.tensor.BufferPool pool) {
            this.pool = pool;
        }

        void hold(Tensor t) {
            users.merge(t.data(), 1, Integer::sum);
        }

        void release(Tensor t) {
            Integer left = users.merge(t.data(), -1, Integer::sum);
            if (left != null && left <= 0) {
                users.remove(t.data());
                pool.give(t.data());
            }
        }
    }

    /** Values of one graph activation; subgraph frames see their parents' values. */
    private static final class Frame {
        final Frame parent;
        final Map<Value, Tensor> env = new IdentityHashMap<>();

        Frame(Frame parent) {
            this.parent = parent;
        }

        Tensor lookup(Value v) {
            for (Frame f = this; f != null; f = f.parent) {
                Tensor t = f.env.get(v);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
    }

    private void runGraph(Graph g, Frame frame, RunOptions options, Map<String, Tensor> kept, RunState state) {
        boolean plain = options.listener() == null && options.keep().isEmpty();
        Plan plan = g != model.graph() ? plans.get(g) : quantizedPlan != null ? quantizedPlan : plain ? fusedPlan : plans.get(g);
        for (Value init : g.initializers()) {
            frame.env.put(init, init.constant().tensor());
        }
        Set<String> keep = options.keep();
        for (Step st : plan.steps) {
            Node n = st.node();
            List<Value> ins = st.inputs();
            Tensor[] in = new Tensor[ins.size()];
            for (int i = 0; i < in.length; i++) {
                Value v = ins.get(i);
                if (v != null) {
                    in[i] = frame.lookup(v);
                    if (in[i] == null) {
                        throw new KilnException("node '" + n.name() + "' (" + st.label() + "): input '" + v.name()
                                + "' has no value (not produced before this node)");
                    }
                }
            }
            Tensor[] out;
            NodeExec ctx = new NodeExec(frame, options, kept, state);
            try {
                out = st.kernel().run(in, ctx);
            } catch (KilnException e) {
                throw e.getMessage().startsWith("node '") ? e
                        : new KilnException("node '" + n.name() + "' (" + st.label() + "): " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new KilnException("node '" + n.name() + "' (" + st.label() + "): "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
            List<Value> outs = st.outputs();
            for (int i = 0; i < outs.size(); i++) {
                Value o = outs.get(i);
                if (o == null) {
                    continue;
                }
                if (i >= out.length || out[i] == null) {
                    throw new KilnException("node '" + n.name() + "' (" + st.label() + "): output " + i + " ('"
                            + o.name() + "') was not computed");
                }
                frame.env.put(o, out[i]);
                state.hold(out[i]);
                if (options.listener() != null) {
                    options.listener().onValue(o, out[i]);
                }
                if (keep.contains(o.name())) {
                    kept.put(o.name(), out[i]);
                    state.pool.forget(out[i].data());
                }
            }
            List<Value> release = plan.releaseAfter.get(st);
            if (release != null) {
                for (Value v : release) {
                    Tensor t = frame.env.remove(v);
                    if (t != null && v.producer() != null) {
                        state.release(t);
                    }
                }
            }
        }
    }

    /** The context a kernel runs in: threads, and subgraph execution within the current frame. */
    private final class NodeExec implements SubgraphContext {
        private final Frame frame;
        private final RunOptions options;
        private final Map<String, Tensor> kept;
        private final RunState state;

        NodeExec(Frame frame, RunOptions options, Map<String, Tensor> kept, RunState state) {
            this.frame = frame;
            this.options = options;
            this.kept = kept;
            this.state = state;
        }

        @Override
        public Parallel parallel() {
            return parallel;
        }

        @Override
        public Tensor[] runSubgraph(Graph subgraph, Tensor[] inputs) {
            Frame sub = new Frame(frame);
            List<Value> ins = subgraph.inputs();
            for (int i = 0; i < ins.size(); i++) {
                if (i < inputs.length && inputs[i] != null) {
                    sub.env.put(ins.get(i), inputs[i]);
                }
            }
            runGraph(subgraph, sub, new RunOptions(Set.of(), null), kept, state);
            Tensor[] out = new Tensor[subgraph.outputs().size()];
            for (int i = 0; i < out.length; i++) {
                Value v = subgraph.outputs().get(i);
                out[i] = sub.lookup(v);
                if (out[i] == null) {
                    throw new KilnException("subgraph '" + subgraph.name() + "': output '" + v.name() + "' has no value");
                }
            }
            return out;
        }
    }

    /**
     * What a plain run of the main graph executes, one entry per step: "node (label)", e.g.
     * "conv1 (int Conv+Relu)" for an integer step of a quantized model or "conv1 (Conv+Add+Relu)"
     * for a fused float chain.
     */
    public List<String> steps() {
        List<String> out = new ArrayList<>();
        for (Step st : (quantizedPlan != null ? quantizedPlan : fusedPlan).steps) {
            out.add(st.node().name() + " (" + st.label() + ")");
        }
        return out;
    }

    /**
     * The steps a plain run of the main graph executes, for the compiler: the integer program of a
     * quantized model, or one step per node of a float model (float fusions are not listed: they
     * exist only in this executor).
     */
    public List<ProgramStep> program() {
        List<ProgramStep> out = new ArrayList<>();
        for (Step st : (quantizedPlan != null ? quantizedPlan : plans.get(model.graph())).steps) {
            out.add(new ProgramStep(st.node(), st.label(), opsetOf(st.node()), st.integer(), st.inputs(), st.outputs(),
                    st.absorbed()));
        }
        return out;
    }

    /** Values known before any run (initializers, Constant outputs, folded shape computations). */
    public Map<Value, Tensor> constants() {
        return constants;
    }

    /** Convenience: the names of the graph outputs. */
    public Collection<String> outputNames() {
        List<String> out = new ArrayList<>();
        for (Value v : model.graph().outputs()) {
            out.add(v.name());
        }
        return out;
    }
}
