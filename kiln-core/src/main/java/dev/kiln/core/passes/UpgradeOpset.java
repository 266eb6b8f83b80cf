package dev.kiln.core.passes;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings a model written for ONNX opset 7-12 to opset 13, the first with per-channel QuantizeLinear,
 * which the quantized artefacts need. Only operators whose signature or semantics changed are
 * rewritten; everything else is valid at 13 as it is.
 *
 * <p>Before: nodes in their old form (Clip min/max, Slice starts/ends, Pad pads, Split split,
 * Squeeze/Unsqueeze/ReduceSum axes, TopK k as attributes; Softmax/LogSoftmax/Hardmax coercing to
 * 2-D; Upsample; Resize-10; Dropout ratio; BatchNormalization spatial; Scatter).
 * After: the opset-13 forms (attributes become constant inputs; the coerced softmaxes get
 * Flatten -> op -> Reshape unless the axis is already the last; Upsample and Resize-10 become
 * Resize-13 with asymmetric coordinates and floor rounding; Scatter becomes ScatterElements).
 * Conditions: default domain, opset below 13.
 * Formula: identical outputs (each rewrite is the opset changelog's equivalence).
 */
public final class UpgradeOpset {
    public static final int TARGET = 13;
    /** The opset with int16 QuantizeLinear/DequantizeLinear, for int16 activations. */
    public static final int INT16_TARGET = 21;

    private final Model model;
    private final int from;
    private final int to;
    private final Consumer<String> log;
    private int changed;

    private UpgradeOpset(Model model, int to, Consumer<String> log) {
        this.model = model;
        this.from = model.opset("");
        this.to = to;
        this.log = log;
    }

    /** Upgrades in place when the model's default-domain opset is below 13; returns the number of rewrites. */
    public static int apply(Model model, Consumer<String> log) {
        return apply(model, TARGET, log);
    }

    /**
     * Upgrades in place to opset {@code target} (13 or 21) when the model's default-domain opset is
     * below it; returns the number of rewrites. From 18 on the Reduce operators take their axes as an
     * input, the only change between 13 and 21 that models written for 13 rely on.
     */
    public static int apply(Model model, int target, Consumer<String> log) {
        int v = model.opset("");
        if (v >= target) {
            return 0;
        }
        if (target != TARGET && target != INT16_TARGET) {
            throw new IllegalArgumentException("upgrades go to opset 13 or 21, not " + target);
        }
        if (v < 7) {
            throw new KilnException("the model imports ONNX opset " + v + "; Kiln converts models from opset 7 on");
        }
        dev.kiln.core.ops.TypeInference.run(model);
        UpgradeOpset u = new UpgradeOpset(model, target, log);
        u.graph(model.graph());
        model.opsets().put("", (long) target);
        log.accept("Upgraded the model from ONNX opset " + v + " to " + target + " (" + u.changed + " nodes rewritten)");
        return u.changed;
    }

    private void graph(Graph g) {
        for (Node n : new ArrayList<>(g.nodes())) {
            for (Graph sub : n.subgraphs()) {
                graph(sub);
            }
            if (!n.domain().isEmpty()) {
                continue;
            }
            if (rewrite(g, n)) {
                changed++;
            }
        }
    }

    private boolean rewrite(Graph g, Node n) {
        Attributes a = n.attrs();
        switch (n.opType()) {
            case "Clip":
                if (from >= 11 || !(a.has("min") || a.has("max"))) {
                    return false;
                }
                n.truncateInputs(1);
                n.setInput(1, g.addConstant(n.name() + "_min", new ConstTensor(Tensor.scalar(a.getFloat("min", -Float.MAX_VALUE)))));
                n.setInput(2, g.addConstant(n.name() + "_max", new ConstTensor(Tensor.scalar(a.getFloat("max", Float.MAX_VALUE)))));
                a.remove("min");
                a.remove("max");
                return true;
            case "Slice":
                if (from >= 10) {
                    return false;
                }
                moveInts(g, n, "starts", 1);
                moveInts(g, n, "ends", 2);
                if (a.has("axes")) {
                    moveInts(g, n, "axes", 3);
                }
                return true;
            case "Pad": {
                if (from >= 11) {
                    return false;
                }
                float value = a.getFloat("value", 0f);
                moveInts(g, n, a.has("pads") ? "pads" : "paddings", 1);
                a.remove("value");
                if (value != 0f) {
                    n.setInput(2, g.addConstant(n.name() + "_value", new ConstTensor(Tensor.scalar(value))));
                }
                return true;
            }
            case "Split":
                if (!a.has("split")) {
                    return false;
                }
                moveInts(g, n, "split", 1);
                return true;
            case "Squeeze":
            case "Unsqueeze":
            case "ReduceSum":
                if (!a.has("axes")) {
                    return false;
                }
                moveInts(g, n, "axes", 1);
                return true;
            case "ReduceMean":
            case "ReduceMax":
            case "ReduceMin":
            case "ReduceProd":
            case "ReduceL1":
            case "ReduceL2":
            case "ReduceLogSum":
            case "ReduceLogSumExp":
            case "ReduceSumSquare":
                if (to < 18 || !a.has("axes")) {
                    return false;
                }
                moveInts(g, n, "axes", 1);
                return true;
            case "TopK":
                if (from >= 10 || !a.has("k")) {
                    return false;
                }
                n.setInput(1, g.addConstant(n.name() + "_k", new ConstTensor(Tensor.vector(a.getInt("k", 1)))));
                a.remove("k");
                return true;
            case "Dropout":
                if (!a.has("ratio") && !a.has("is_test")) {
                    return false;
                }
                a.remove("ratio");
                a.remove("is_test");
                return true;
            case "BatchNormalization":
                if (!a.has("spatial") && !a.has("is_test") && !a.has("consumed_inputs")) {
                    return false;
                }
                if (a.getInt("spatial", 1) == 0) {
                    throw new KilnException("node '" + n.name() + "': BatchNormalization with spatial=0 cannot be upgraded");
                }
                a.remove("spatial");
                a.remove("is_test");
                a.remove("consumed_inputs");
                return true;
            case "Softmax":
            case "LogSoftmax":
            case "Hardmax":
                return from < 13 && coercedSoftmax(g, n);
            case "Upsample":
                return upsampleToResize(g, n, a.getString("mode", "nearest"));
            case "Resize":
                if (from >= 11) {
                    return false;
                }
                return upsampleToResize(g, n, a.getString("mode", "nearest"));
            case "Scan":
                if (from < 9) {
                    throw new KilnException("node '" + n.name() + "': Scan of opset 8 (batched, with sequence_lens) "
                            + "cannot be upgraded to opset 13; re-export the model at opset 9 or later");
                }
                return false;
            case "Scatter":
                replaceOpType(g, n, "ScatterElements");
                return true;
            default:
                return false;
        }
    }

    /** Moves an ints attribute to input {@code index} as an int64 constant. */
    private static void moveInts(Graph g, Node n, String attr, int index) {
        long[] v = n.attrs().getInts(attr, new long[0]);
        n.setInput(index, g.addConstant(n.name() + "_" + attr, new ConstTensor(Tensor.vector(v))));
        n.attrs().remove(attr);
    }

    /**
     * Before 13 the op flattens its input to 2-D at axis (default 1) and works on the second dim;
     * from 13 it works on one axis (default -1). The same when the axis is the last one; otherwise
     * Flatten(axis) -> op(axis 1) -> Reshape to the input's shape.
     */
    private boolean coercedSoftmax(Graph g, Node n) {
        long axis = n.attrs().getInt("axis", 1);
        Value x = n.input(0);
        int rank = x.type().hasRank() ? x.type().rank() : -1;
        if (rank < 0) {
            throw new KilnException("node '" + n.name() + "' (" + n.opType() + "): the rank of its input is unknown, "
                    + "so its opset " + from + " axis cannot be carried to opset 13");
        }
        long norm = axis < 0 ? axis + rank : axis;
        n.attrs().put(Attribute.of("axis", norm == rank - 1 ? -1L : 1L));
        if (norm == rank - 1) {
            return true;
        }
        Attributes fa = new Attributes();
        fa.put(Attribute.of("axis", norm));
        Node flat = g.insertNodeBefore(n, g.uniqueName(n.name() + "_flatten"), "Flatten", fa, List.of(x),
                List.of(g.uniqueName(x.name() + "_2d")));
        n.setInput(0, flat.output(0));
        Value y = n.output(0);
        String yName = y.name();
        g.renameValue(y, g.uniqueName(yName + "_2d"));
        Node shape = g.insertNodeBefore(n, g.uniqueName(n.name() + "_shape"), "Shape", new Attributes(), List.of(x),
                List.of(g.uniqueName(yName + "_shape")));
        List<Node> after = new ArrayList<>();
        for (Value.Use u : y.uses()) {
            after.add(u.node());
        }
        Node reshape = g.addNode(g.uniqueName(n.name() + "_reshape"), "Reshape", "", new Attributes(),
                List.of(y, shape.output(0)), List.of(yName));
        for (Value.Use u : new ArrayList<>(y.uses())) {
            if (u.node() != reshape) {
                u.node().setInput(u.index(), reshape.output(0));
            }
        }
        for (int i = 0; i < g.outputs().size(); i++) {
            if (g.outputs().get(i) == y) {
                g.setOutput(i, reshape.output(0));
            }
        }
        g.sortTopologically();
        return true;
    }

    /** Upsample (and Resize-10) as Resize-13: asymmetric coordinates, floor rounding for nearest. */
    private boolean upsampleToResize(Graph g, Node n, String mode) {
        Value scales;
        if (n.attrs().has("scales")) {
            float[] s = n.attrs().getFloats("scales", new float[0]);
            scales = g.addConstant(n.name() + "_scales", new ConstTensor(Tensor.of(s, s.length)));
        } else {
            scales = n.input(1);
        }
        String m = mode.equalsIgnoreCase("bilinear") ? "linear" : mode.toLowerCase(java.util.Locale.ROOT);
        Attributes ra = new Attributes();
        ra.put(Attribute.of("mode", m));
        ra.put(Attribute.of("coordinate_transformation_mode", "asymmetric"));
        if (m.equals("nearest")) {
            ra.put(Attribute.of("nearest_mode", "floor"));
        }
        Value roi = g.addConstant(n.name() + "_roi", new ConstTensor(Tensor.of(new float[0], 0)));
        Value x = n.input(0);
        Value y = n.output(0);
        String yName = y.name();
        g.renameValue(y, g.uniqueName(yName + "_old"));
        Node r = g.insertNodeBefore(n, n.name(), "Resize", ra, List.of(x, roi, scales), List.of(yName));
        g.replaceAllUses(y, r.output(0));
        n.setName(g.uniqueName(n.name() + "_replaced"));
        g.removeNode(n);
        return true;
    }

    private static void replaceOpType(Graph g, Node n, String type) {
        Value y = n.output(0);
        String yName = y.name();
        g.renameValue(y, g.uniqueName(yName + "_old"));
        List<Value> ins = new ArrayList<>(n.inputs());
        Node r = g.insertNodeBefore(n, n.name(), type, n.attrs().copy(), ins, List.of(yName));
        g.replaceAllUses(y, r.output(0));
        n.setName(g.uniqueName(n.name() + "_replaced"));
        g.removeNode(n);
    }
}
