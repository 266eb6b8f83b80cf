package dev.kiln.core.report;

import dev.kiln.core.compile.Compiler;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.quant.CalibrationTable;
import dev.kiln.core.quant.QdqBuilder;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The node-by-node report of makertbin (SPEC section 9): for every node of the optimized float
 * model, in topological order, where it runs, its subgraph, its type, the cosine similarity of its
 * output in the float and in the quantized model on one sample, its threshold and data type; then
 * one row per model output with cosine, L1, L2 and Chebyshev distances. The preprocessing
 * subgraph of each input is one row ("Preprocess").
 */
public final class NodeReport {
    /** One row of the node table; cosine is NaN and threshold/dataType "--" where not applicable. */
    public record Row(String node, String on, String subgraph, String type, double cosine, String threshold,
                      String dataType) {
    }

    /** One row of the output table. */
    public record OutputRow(String output, Similarity.Distances distances) {
    }

    private final List<Row> rows;
    private final List<OutputRow> outputs;

    private NodeReport(List<Row> rows, List<OutputRow> outputs) {
        this.rows = rows;
        this.outputs = outputs;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<OutputRow> outputs() {
        return outputs;
    }

    /**
     * Runs the optimized float model and the quantized model on one sample and builds the report.
     *
     * @param placement where the compiler put each node, by node name; null (or a node it does not
     *                  name) falls back to the plan: integer nodes on BPU, connected runs as subgraphs
     */
    public static NodeReport compute(Model optimized, QdqBuilder.Result quantized, QuantPlan plan,
                                     CalibrationTable table, Map<String, Tensor> sample,
                                     Map<String, Compiler.Placement> placement, int threads) {
        Graph g = optimized.graph();
        // float values of every node output, copied (the executor recycles storage)
        Map<String, Tensor> floats = new HashMap<>();
        Map<String, Tensor> floatOut = new Executor(optimized, threads).run(sample,
                new Executor.RunOptions(Set.of(), (v, t) -> floats.put(v.name(), t.copy())));
        // quantized model: the int values of quantized tensors and the float values of the rest
        Map<String, String> intNames = quantized.quantizedNames();
        Map<String, String> wanted = new HashMap<>();
        for (Map.Entry<String, String> e : intNames.entrySet()) {
            wanted.put(e.getValue(), e.getKey());
        }
        Map<String, Double> cosines = new HashMap<>();
        Map<String, Tensor> quantFloat = new HashMap<>();
        Map<String, Tensor> quantOut = new Executor(quantized.model(), threads).run(sample,
                new Executor.RunOptions(Set.of(), (v, t) -> {
                    String floatName = wanted.get(v.name());
                    if (floatName != null) {
                        Tensor ref = floats.get(floatName);
                        if (ref != null) {
                            cosines.put(floatName, Similarity.cosine(ref, t, quantized.scales().get(floatName)));
                        }
                    } else if (t.dtype().isFloatingPoint() && floats.containsKey(v.name())) {
                        quantFloat.put(v.name(), t.copy());
                    }
                }));
        List<Row> rows = rows(g, plan, placement, (name, on, sub, type, node, out) -> row(name, on, sub, type, out, plan, table,
                cosines, floats, quantFloat, quantized.scales()));
        List<OutputRow> outs = new ArrayList<>();
        for (Value v : g.outputs()) {
            Tensor ref = floatOut.get(v.name());
            Tensor q = quantOut.get(v.name());
            if (ref != null && q != null) {
                outs.add(new OutputRow(v.name(), Similarity.distances(ref, q, 1f)));
            }
        }
        return new NodeReport(rows, outs);
    }

    /**
     * The placement table of the checker, without running anything: where each node runs, its
     * subgraph, its type, and the data types of its first input and its output ("int8/int8" on the
     * integer engine, "float32/float32" on the CPU).
     *
     * @param placement where the compiler put each node, by node name (as for {@link #compute})
     */
    public static NodeReport placement(Model optimized, QuantPlan plan, Map<String, Compiler.Placement> placement) {
        Graph g = optimized.graph();
        List<Row> rows = rows(g, plan, placement, (name, on, sub, type, node, out) -> {
            Value in = name.startsWith(QuantPlan.PREPROCESS_PREFIX) ? inputOfGroup(g, name) : firstActivation(node);
            boolean integer = !on.equals("CPU");
            return new Row(name, on, sub, type, Double.NaN, "--", dataType(in, plan, integer) + "/"
                    + dataType(out, plan, integer));
        });
        return new NodeReport(rows, List.of());
    }

    /** How the node rows are made: one per node, one per preprocessing group. */
    private interface RowMaker {
        Row make(String name, String on, String sub, String type, Node node, Value out);
    }

    private static List<Row> rows(Graph g, QuantPlan plan, Map<String, Compiler.Placement> placement, RowMaker maker) {
        Map<Node, String> labels = Subgraphs.label(g, plan);
        List<Row> rows = new ArrayList<>();
        Map<String, Boolean> preprocessDone = new HashMap<>();
        for (Node n : g.nodes()) {
            String on = plan.placement(n).name();
            String sub = labels.getOrDefault(n, "--");
            Compiler.Placement p = placement == null ? null : placement.get(n.name());
            if (p != null) {
                on = p.on();
                sub = p.subgraph();
            }
            if (n.name().startsWith(QuantPlan.PREPROCESS_PREFIX)) {
                String group = preprocessGroup(n.name());
                if (preprocessDone.put(group, Boolean.TRUE) == null) {
                    rows.add(maker.make(group, on, sub, "Preprocess", n, preprocessOutput(g, group)));
                }
                continue;
            }
            Node act = plan.fusedActivation(n);
            rows.add(maker.make(n.name(), on, sub, n.opType(), n, (act != null ? act : n).output(0)));
        }
        return rows;
    }

    /** The first input of n that is a float tensor computed at run time, or null. */
    private static Value firstActivation(Node n) {
        for (Value v : n.inputs()) {
            if (v != null && !v.isConstant() && v.type().dtype() != null && v.type().dtype().isFloatingPoint()) {
                return v;
            }
        }
        return null;
    }

    /** The model input a preprocessing group reads. */
    private static Value inputOfGroup(Graph g, String group) {
        for (Value v : g.inputs()) {
            for (Value.Use u : v.uses()) {
                if (preprocessGroup(u.node().name()).equals(group)) {
                    return v;
                }
            }
        }
        return null;
    }

    /**
     * What a node reads or writes: int8 / int16 for quantized tensors of integer nodes, the tensor's
     * own type otherwise ("float32": CPU nodes compute in float, the boundary quantizes), "--" when
     * unknown.
     */
    private static String dataType(Value v, QuantPlan plan, boolean integer) {
        if (v == null) {
            return "--";
        }
        DType q = integer ? plan.quantized().get(v) : null;
        if (q != null) {
            return q == DType.INT16 ? "int16" : "int8";
        }
        DType t = v.type().dtype();
        return t == null ? "--" : t == DType.FLOAT ? "float32" : t.displayName();
    }

    private static Row row(String name, String on, String sub, String type, Value out, QuantPlan plan,
                           CalibrationTable table, Map<String, Double> cosines, Map<String, Tensor> floats,
                           Map<String, Tensor> quantFloat, Map<String, Float> scales) {
        if (out == null) {
            return new Row(name, on, sub, type, Double.NaN, "--", "--");
        }
        DType q = plan.quantized().get(out);
        if (q != null) {
            Double cos = cosines.get(out.name());
            Float s = scales.get(out.name());
            String th = s == null ? "--" : fmt(s * (q == DType.INT16 ? 32767f : 127f));
            return new Row(name, on, sub, type, cos == null ? Double.NaN : cos, th, q == DType.INT16 ? "int16" : "int8");
        }
        Tensor ref = floats.get(out.name());
        Tensor qf = quantFloat.get(out.name());
        double cos = ref != null && qf != null && ref.dtype().isFloatingPoint() ? Similarity.cosine(ref, qf) : Double.NaN;
        String dt = out.type().dtype() == null ? "--" : out.type().dtype().isFloatingPoint() ? "float"
                : out.type().dtype().displayName();
        return new Row(name, on, sub, type, cos, "--", dt);
    }

    /** "PREPROCESS_FOR_x" from "PREPROCESS_FOR_x/cast". */
    static String preprocessGroup(String nodeName) {
        int slash = nodeName.indexOf('/');
        return slash < 0 ? nodeName : nodeName.substring(0, slash);
    }

    /** The value a preprocessing group hands to the model. */
    private static Value preprocessOutput(Graph g, String group) {
        Value last = null;
        for (Node n : g.nodes()) {
            if (preprocessGroup(n.name()).equals(group)) {
                for (Value o : n.outputs()) {
                    boolean outside = o.isGraphOutput();
                    for (Value.Use u : o.uses()) {
                        outside |= !preprocessGroup(u.node().name()).equals(group);
                    }
                    if (outside) {
                        last = o;
                    }
                }
            }
        }
        return last;
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e") || !s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    private static final int NODE_WIDTH = 30;

    /** Cuts a long name from the left, keeping its end: "...layer1/conv1/Conv". */
    public static String cut(String s, int width) {
        return s.length() <= width ? s : "..." + s.substring(s.length() - (width - 3));
    }

    /** The report as printed lines (without timestamps). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        String rule = "=".repeat(117);
        out.add(rule);
        out.add(String.format(Locale.ROOT, "%-" + NODE_WIDTH + "s  %-4s %-9s %-25s %-18s %-11s %s", "Node", "ON", "Subgraph",
                "Type", "Cosine Similarity", "Threshold", "DataType"));
        out.add("-".repeat(117));
        for (Row r : rows) {
            out.add(String.format(Locale.ROOT, "%-" + NODE_WIDTH + "s  %-4s %-9s %-25s %-18s %-11s %s", cut(r.node(), NODE_WIDTH),
                    r.on(), r.subgraph(), cut(r.type(), 25), Double.isNaN(r.cosine()) ? "--" : String.format(Locale.ROOT, "%.6f", r.cosine()),
                    r.threshold(), r.dataType()));
        }
        out.add(rule);
        out.add(String.format(Locale.ROOT, "%-" + NODE_WIDTH + "s  %-18s %-14s %-14s %s", "Output", "Cosine Similarity",
                "L1 Distance", "L2 Distance", "Chebyshev Distance"));
        out.add("-".repeat(117));
        for (OutputRow o : outputs) {
            Similarity.Distances d = o.distances();
            out.add(String.format(Locale.ROOT, "%-" + NODE_WIDTH + "s  %-18s %-14s %-14s %s", cut(o.output(), NODE_WIDTH),
                    String.format(Locale.ROOT, "%.6f", d.cosine()), fmt(d.l1()), fmt(d.l2()), fmt(d.chebyshev())));
        }
        out.add(rule);
        out.add("Output cosine similarity >= 0.99 is normal; below 0.8 means a clear loss of accuracy. L1: mean |difference|,"
                + " L2: root mean square difference, Chebyshev: max |difference|.");
        return out;
    }

    /** The checker's table (Node, ON, Subgraph, Type, In/Out DataType) as printed lines. */
    public List<String> placementLines() {
        List<String> out = new ArrayList<>();
        String rule = "=".repeat(90);
        String format = "%-" + NODE_WIDTH + "s  %-4s %-9s %-25s %s";
        out.add(rule);
        out.add(String.format(Locale.ROOT, format, "Node", "ON", "Subgraph", "Type", "In/Out DataType"));
        out.add("-".repeat(90));
        for (Row r : rows) {
            out.add(String.format(Locale.ROOT, format, cut(r.node(), NODE_WIDTH), r.on(), r.subgraph(), cut(r.type(), 25),
                    r.dataType()));
        }
        out.add(rule);
        return out;
    }

    /** Per-node cosine by node name (for tests and the HTML report). */
    public Map<String, Double> cosineByNode() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Row r : rows) {
            m.put(r.node(), r.cosine());
        }
        return m;
    }

    /** Nodes by identity, for callers that label subgraphs themselves. */
    public static Map<Node, String> noLabels() {
        return new IdentityHashMap<>();
    }
}
