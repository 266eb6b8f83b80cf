package dev.kiln.core.compile;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.ProgramStep;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpContext;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.runtime.bin.Attrs;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IntegerSpec;
import dev.kiln.runtime.bin.KernelInput;
import dev.kiln.runtime.bin.Quant;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the executor's program for a model into the .bin's tensors and instructions: every value
 * a step reads or writes becomes a tensor (initializers with their data), every step an instruction
 * carrying the operator's attributes, its integer parameters and the kernel factory's view of the
 * node's inputs, so the runtime builds the very kernels the executor built.
 */
final class ProgramBuilder {
    private final Graph graph;
    private final Map<Value, Tensor> constants;
    private final OpRegistry registry;
    final List<TensorInfo> tensors = new ArrayList<>();
    final List<Instruction> instructions = new ArrayList<>();
    /** For each instruction, the source nodes it computes (head first). */
    final List<List<Node>> covered = new ArrayList<>();
    private final Map<Value, Integer> byValue = new IdentityHashMap<>();
    private final Map<Tensor, Integer> byConstant = new IdentityHashMap<>();
    private final Map<Tensor, Value> initializerOf = new IdentityHashMap<>();
    private final Map<String, Quant> quantOf = new LinkedHashMap<>();

    ProgramBuilder(Graph graph, Map<Value, Tensor> constants, OpRegistry registry) {
        this.graph = graph;
        this.constants = constants;
        this.registry = registry;
        for (Value init : graph.initializers()) {
            initializerOf.put(init.constant().tensor(), init);
        }
        // the scale of every quantized activation, from the QuantizeLinear that makes it
        for (Node n : graph.nodes()) {
            if (n.opType().equals("QuantizeLinear") && n.domain().isEmpty() && n.hasInput(1)) {
                Tensor s = constants.get(n.input(1));
                Tensor z = n.hasInput(2) ? constants.get(n.input(2)) : null;
                if (s != null && s.size() == 1) {
                    quantOf.put(n.output(0).name(), new Quant(new float[] {s.getFloat(0)},
                            new long[] {z == null ? 0 : z.getLong(0)}, -1));
                }
            }
        }
    }

    /** The tensor index of a value (added on first use). */
    int tensor(Value v) {
        Integer i = byValue.get(v);
        if (i != null) {
            return i;
        }
        Tensor c = v.isConstant() ? v.constant().tensor() : null;
        DType t = c != null ? c.dtype() : v.type().dtype();
        if (t == null) {
            throw new KilnException("tensor '" + v.name() + "' has no known element type; the model cannot be compiled");
        }
        int[] shape = c != null ? c.shape() : v.type().hasRank() ? v.type().shapeOrUnknown() : null;
        int idx = add(new TensorInfo(v.name(), t, shape, quantOf.get(v.name()), c));
        byValue.put(v, idx);
        if (c != null) {
            byConstant.putIfAbsent(c, idx);
        }
        return idx;
    }

    /** The tensor index holding a constant value (an initializer's own, else a new constant tensor). */
    private int constant(Tensor c, String name) {
        Integer i = byConstant.get(c);
        if (i != null) {
            return i;
        }
        Value init = initializerOf.get(c);
        if (init != null) {
            return tensor(init);
        }
        if (c.dtype() == DType.STRING) {
            throw new KilnException("tensor '" + name + "' holds strings; a .bin cannot carry string tensors");
        }
        int idx = add(new TensorInfo(name, c.dtype(), c.shape(), null, c));
        byConstant.put(c, idx);
        return idx;
    }

    private int add(TensorInfo t) {
        tensors.add(t);
        return tensors.size() - 1;
    }

    void add(ProgramStep st) {
        Node n = st.node();
        if (!n.subgraphs().isEmpty()) {
            throw new KilnException("node '" + n.name() + "' (" + n.opType() + "): control flow (If, Loop, Scan) cannot"
                    + " be compiled into a .bin; remove it from the model or compute it outside");
        }
        Op op = registry.forNode(n, st.opset());
        if (op.kernels() == null) {
            throw new KilnException("node '" + n.name() + "' (" + n.opType() + "): the runtime has no kernel for this"
                    + " operator, so it cannot go into a .bin");
        }
        Attrs attrs = new Attrs();
        for (Attribute a : n.attrs().all()) {
            attrs.put(a.name(), attribute(n, a));
        }
        OpContext ctx = new OpContext(n, st.opset(), constants, null);
        List<KernelInput> view = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            if (!ctx.hasInput(i)) {
                view.add(KernelInput.ABSENT);
                continue;
            }
            Tensor c = ctx.constant(i);
            view.add(new KernelInput(true, ctx.inputDtype(i), ctx.inputShape(i),
                    c == null ? -1 : constant(c, n.input(i).name() + ":known")));
        }
        int[] inputs = indices(st.inputs());
        int[] outputs = indices(st.outputs());
        IntegerSpec integer = st.integer() == null ? null
                : IntegerSpec.of(st.integer(), st.outputs().size(), t -> constant(t, n.name() + ":weight"));
        List<String> nodes = new ArrayList<>();
        List<Node> cov = new ArrayList<>();
        nodes.add(n.name());
        cov.add(n);
        for (Node a : st.absorbed()) {
            nodes.add(a.name());
            cov.add(a);
        }
        instructions.add(new Instruction(n.name(), n.opType(), op.opcode(), st.opset(), st.label(), -1, inputs, outputs,
                attrs, integer, null, nodes, view));
        covered.add(cov);
    }

    private int[] indices(List<Value> vs) {
        int[] out = new int[vs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vs.get(i) == null ? -1 : tensor(vs.get(i));
        }
        return out;
    }

    private static Object attribute(Node n, Attribute a) {
        switch (a.kind()) {
            case INT: return a.value();
            case FLOAT: return a.value();
            case STRING: return a.value();
            case INTS: return a.value();
            case FLOATS: return a.value();
            case STRINGS: return a.value();
            case TENSOR: return ((ConstTensor) a.value()).tensor();
            default:
                throw new KilnException("node '" + n.name() + "' (" + n.opType() + "): attribute '" + a.name() + "' of kind "
                        + a.kind() + " cannot be stored in a .bin");
        }
    }

    Graph graph() {
        return graph;
    }
}
