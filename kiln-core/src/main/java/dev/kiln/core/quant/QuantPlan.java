package dev.kiln.core.quant;

import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.core.ops.QuantKind;
import dev.kiln.runtime.tensor.DType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which parts of the optimized float model become integer: each node placed on the integer engine
 * ("BPU") or the CPU with the reason, which activation tensors carry int8 (or int16) values, which
 * Relu/Clip nodes are fused into the node before them, and which inputs are weights quantized per
 * output channel. The quantizer, the fake-quantized calibration model and the report all read the
 * same plan, so they agree on what is quantized.
 */
public final class QuantPlan {
    public enum Placement {
        BPU, CPU
    }

    /**
     * Where the user asked nodes to go (run_on_cpu, run_on_bpu, node_info ON), int16 requests, and
     * the target's march profile (which operators and parameters its integer engine takes).
     */
    public record Options(Set<String> forceCpu, Set<String> forceBpu, Set<String> int16Nodes, boolean allInt16,
                          MarchProfile march) {
        public static final Options DEFAULT = new Options(Set.of(), Set.of(), Set.of(), false);

        /** With the generic profile: no limits beyond operator support. */
        public Options(Set<String> forceCpu, Set<String> forceBpu, Set<String> int16Nodes, boolean allInt16) {
            this(forceCpu, forceBpu, int16Nodes, allInt16, MarchProfile.generic());
        }
    }

    /** A quantized weight: input index and the axis of its per-channel scales (-1: per tensor only). */
    public record WeightInput(int input, int axis, int biasInput) {
    }

    /** Name prefix of the preprocessing nodes the parse stage adds. */
    public static final String PREPROCESS_PREFIX = "PREPROCESS_FOR_";

    /**
     * Node metadata key: an importer marks nodes that must stay float (e.g. the box decoding and NMS of
     * a Caffe DetectionOutput) with the reason, which becomes their CPU reason.
     */
    public static final String FLOAT_ONLY_KEY = "kiln.float_only";

    private final Map<Node, Placement> placement = new IdentityHashMap<>();
    private final Map<Node, String> reasons = new IdentityHashMap<>();
    private final Map<Value, DType> quantized = new LinkedHashMap<>();
    private final Map<Node, Node> fused = new IdentityHashMap<>();
    private final Map<Node, WeightInput> weights = new IdentityHashMap<>();
    private final Map<Value, Value> sameScaleAs = new IdentityHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private QuantPlan() {
    }

    public Placement placement(Node n) {
        return placement.getOrDefault(n, Placement.CPU);
    }

    /** Why a node runs on the CPU, or null for integer nodes. */
    public String cpuReason(Node n) {
        return reasons.get(n);
    }

    /** The nodes of g placed on the CPU, with the reason, by name, in graph order. */
    public Map<String, String> cpuNodes(Graph g) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (placement(n) == Placement.CPU) {
                out.put(n.name(), cpuReason(n));
            }
        }
        return out;
    }

    /** Activation tensors that carry quantized values, with their storage type (INT8/INT16), in graph order. */
    public Map<Value, DType> quantized() {
        return Collections.unmodifiableMap(quantized);
    }

    public boolean isQuantized(Value v) {
        return quantized.containsKey(v);
    }

    /** The Relu/Clip fused into n (its requantization clamps), or null. */
    public Node fusedActivation(Node n) {
        return fused.get(n);
    }

    public boolean isFusedActivation(Node n) {
        return fused.containsValue(n);
    }

    public WeightInput weightInput(Node n) {
        return weights.get(n);
    }

    /**
     * The tensor whose scale v must share (outputs of data-movement operators and MaxPool keep their
     * input's scale so they stay exact on int8 data), or v itself.
     */
    public Value scaleSource(Value v) {
        Value s = v;
        for (int i = 0; i < 64 && sameScaleAs.containsKey(s); i++) {
            s = sameScaleAs.get(s);
        }
        return s;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Operators that only move or select values: exact on int8 data when scales agree. */
    private static final Set<String> MOVEMENT = Set.of("Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Slice",
            "Split", "Gather", "Expand", "Tile", "Identity", "Dropout", "DepthToSpace", "SpaceToDepth", "MaxPool",
            "GlobalMaxPool", "ReduceMax", "ReduceMin");

    /**
     * True for nodes that only move or select values (data movement, max pooling, nearest Resize):
     * they compute the same on int8 data as on float when input and output share a scale.
     */
    public static boolean movesValues(Node n) {
        if (!n.domain().isEmpty()) {
            return false;
        }
        if (n.opType().equals("Resize") || n.opType().equals("Upsample")) {
            return n.attrs().getString("mode", "nearest").equals("nearest");
        }
        return MOVEMENT.contains(n.opType());
    }

    public static QuantPlan build(Model m, Options opts) {
        return build(m, opts, OpRegistry.standard());
    }

    public static QuantPlan build(Model m, Options opts, OpRegistry registry) {
        QuantPlan p = new QuantPlan();
        Graph g = m.graph();
        for (Node n : g.nodes()) {
            p.place(n, opts, registry);
        }
        for (Node n : g.nodes()) {
            if (p.placement(n) == Placement.BPU && !isPreprocess(n)) {
                p.fuseActivation(g, n);
            }
        }
        for (Node n : g.nodes()) {
            if (p.placement(n) != Placement.BPU || p.isFusedActivation(n)) {
                continue;
            }
            DType width = opts.allInt16() || opts.int16Nodes().contains(n.name()) ? DType.INT16 : DType.INT8;
            if (isPreprocess(n)) {
                // only the subgraph's result (read by a model node) is quantized
                for (Value o : n.outputs()) {
                    if (o != null && readOutside(o)) {
                        p.mark(o, width);
                    }
                }
                continue;
            }
            WeightInput w = p.weights.get(n);
            for (int i = 0; i < n.inputCount(); i++) {
                Value v = n.input(i);
                if (v != null && isActivation(v) && (w == null || (i != w.input() && i != w.biasInput()))) {
                    p.mark(v, width);
                }
            }
            Node act = p.fused.get(n);
            if (act != null) {
                // the node's own output is quantized too, with the activation's scale: ONNX Runtime then
                // runs the node as its integer kernel (QLinearConv...) and the clamp on int8, as Kiln does
                Value pre = n.output(0);
                Value post = act.output(0);
                if (isActivation(pre) && isActivation(post)) {
                    p.mark(pre, width);
                    p.sameScaleAs.put(pre, post);
                }
            }
            for (Value o : (act != null ? act : n).outputs()) {
                if (o != null && isActivation(o)) {
                    p.mark(o, width);
                    if (movesValues(n) || n.opType().equals("Relu") && act == null) {
                        Value in = n.input(0);
                        if (in != null && isActivation(in)) {
                            p.sameScaleAs.put(o, in);
                        }
                    }
                }
            }
        }
        return p;
    }

    private void mark(Value v, DType width) {
        DType prev = quantized.get(v);
        quantized.put(v, prev == DType.INT16 || width == DType.INT16 ? DType.INT16 : DType.INT8);
    }

    private static boolean isPreprocess(Node n) {
        return n.name().startsWith(PREPROCESS_PREFIX);
    }

    private static boolean readOutside(Value v) {
        if (v.isGraphOutput()) {
            return true;
        }
        for (Value.Use u : v.uses()) {
            if (!isPreprocess(u.node())) {
                return true;
            }
        }
        return false;
    }

    /** A float tensor computed at run time (not a constant, not an integer or shape tensor). */
    static boolean isActivation(Value v) {
        DType t = v.type().dtype();
        return !v.isConstant() && t != null && t.isFloatingPoint();
    }

    private void place(Node n, Options opts, OpRegistry registry) {
        if (isPreprocess(n)) {
            placement.put(n, Placement.BPU);
            return;
        }
        Op op = registry.find(n.domain(), n.opType());
        if (opts.forceCpu().contains(n.name())) {
            cpu(n, "requested by run_on_cpu / node_info");
            return;
        }
        String floatOnly = n.metadata().get(FLOAT_ONLY_KEY);
        if (floatOnly != null) {
            if (opts.forceBpu().contains(n.name())) {
                warnings.add("node " + n.name() + " (" + n.opType() + ") was asked to run on BPU but " + floatOnly
                        + "; it runs on CPU");
            }
            cpu(n, floatOnly);
            return;
        }
        if (n.opType().equals("Concat") && n.domain().isEmpty()) {
            for (Value v : n.inputs()) {
                if (v != null && v.isConstant() && v.type().dtype() != null && v.type().dtype().isFloatingPoint()) {
                    cpu(n, "Concat with a constant float input ('" + v.name() + "') runs in float");
                    return;
                }
            }
        }
        if (op == null || op.quantKind(n) == QuantKind.FLOAT_ONLY) {
            String why = n.opType() + " has no integer kernel";
            if (opts.forceBpu().contains(n.name())) {
                warnings.add("node " + n.name() + " (" + n.opType() + ") was asked to run on BPU but " + why
                        + "; it runs on CPU");
            }
            cpu(n, why);
            return;
        }
        boolean floatIo = false;
        for (Value v : n.inputs()) {
            floatIo |= v != null && isActivation(v);
        }
        if (!floatIo) {
            cpu(n, "no float activation input (shape or index computation)");
            return;
        }
        WeightInput w = op.quantKind(n) == QuantKind.COMPUTE ? weightOf(n) : null;
        if (op.quantKind(n) == QuantKind.COMPUTE && w == null
                && !(n.opType().equals("MatMul") && n.inputCount() == 2 && isActivation(n.input(1)))) {
            cpu(n, n.opType() + " without a constant weight");
            return;
        }
        String limit = opts.march().cpuReason(n);
        if (limit != null) {
            if (!opts.forceBpu().contains(n.name())) {
                cpu(n, limit);
                return;
            }
            warnings.add("node " + n.name() + " (" + n.opType() + ") runs on Kiln's integer engine as run_on_bpu / node_info"
                    + " asks, but the " + opts.march().march().key() + " chip would run it on CPU: " + limit);
        }
        if (w != null) {
            weights.put(n, w);
        }
        placement.put(n, Placement.BPU);
    }

    private void cpu(Node n, String why) {
        placement.put(n, Placement.CPU);
        reasons.put(n, why);
    }

    /** The weight input of a COMPUTE node and its output-channel axis, or null when not constant. */
    private static WeightInput weightOf(Node n) {
        Value w = n.input(1);
        if (w == null || !w.isConstant() || !w.type().dtype().isFloatingPoint()) {
            return null;
        }
        int rank = w.constant().tensor().rank();
        switch (n.opType()) {
            case "Conv":
                return new WeightInput(1, 0, n.hasInput(2) && n.input(2).isConstant() ? 2 : -1);
            case "ConvTranspose":
                // output channels are split over groups along axis 1: per-axis only without groups
                return new WeightInput(1, n.attrs().getInt("group", 1) == 1 ? 1 : -1,
                        n.hasInput(2) && n.input(2).isConstant() ? 2 : -1);
            case "Gemm": {
                boolean tb = n.attrs().getInt("transB", 0) != 0;
                Value c = n.input(2);
                boolean bias = c != null && c.isConstant() && c.constant().tensor().rank() == 1
                        && n.attrs().getFloat("beta", 1f) == 1f && n.attrs().getFloat("alpha", 1f) == 1f;
                return new WeightInput(1, tb ? 0 : 1, bias ? 2 : -1);
            }
            case "MatMul":
                return new WeightInput(1, rank == 2 ? 1 : -1, -1);
            default:
                return null;
        }
    }

    /** Fuses a following Relu or constant Clip into an integer node's output clamp. */
    private void fuseActivation(Graph g, Node n) {
        if (n.outputs().size() != 1 || !(n.opType().equals("Conv") || n.opType().equals("Gemm")
                || n.opType().equals("MatMul") || n.opType().equals("Add") || n.opType().equals("ConvTranspose"))) {
            return;
        }
        Value o = n.output(0);
        if (o.uses().size() != 1 || g.outputs().contains(o)) {
            return;
        }
        Node c = o.uses().get(0).node();
        boolean clip = c.opType().equals("Clip") && (!c.hasInput(1) || c.input(1).isConstant())
                && (!c.hasInput(2) || c.input(2).isConstant());
        if ((c.opType().equals("Relu") || clip) && c.domain().isEmpty() && placement(c) == Placement.BPU) {
            fused.put(n, c);
        }
    }
}
