package dev.kiln.core.tools;

import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The self-contained HTML page of {@code kiln perf}: the model's graph as inline SVG (instructions
 * coloured by placement, BPU or CPU, laid out by depth), the per-subgraph and per-node tables of
 * MACs, bytes and measured time. No scripts or styles are loaded from anywhere.
 */
public final class PerfHtml {
    private static final int BOX_W = 200;
    private static final int BOX_H = 34;
    private static final int GAP_X = 30;
    private static final int GAP_Y = 26;

    private PerfHtml() {
    }

    public static String render(CompiledModel m, Profiler.Result r) {
        List<Instruction> ins = m.instructions();
        int n = ins.size();
        Map<Integer, Integer> producer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int t : ins.get(i).outputs()) {
                if (t >= 0) {
                    producer.put(t, i);
                }
            }
        }
        int[] depth = new int[n];
        List<List<Integer>> preds = new ArrayList<>();
        int maxDepth = 0;
        for (int i = 0; i < n; i++) {
            List<Integer> p = new ArrayList<>();
            for (int t : ins.get(i).inputs()) {
                Integer j = t < 0 ? null : producer.get(t);
                if (j != null && j < i && !p.contains(j)) {
                    p.add(j);
                    depth[i] = Math.max(depth[i], depth[j] + 1);
                }
            }
            preds.add(p);
            maxDepth = Math.max(maxDepth, depth[i]);
        }
        int[] col = new int[n];
        int[] perRow = new int[maxDepth + 1];
        int maxCols = 1;
        for (int i = 0; i < n; i++) {
            col[i] = perRow[depth[i]]++;
            maxCols = Math.max(maxCols, perRow[depth[i]]);
        }
        int width = maxCols * (BOX_W + GAP_X) + GAP_X;
        int height = (maxDepth + 1) * (BOX_H + GAP_Y) + GAP_Y;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"model graph\">\n", width, height, width, height));
        for (int i = 0; i < n; i++) {
            for (int j : preds.get(i)) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"edge\"/>\n",
                        x(col[j]) + BOX_W / 2, y(depth[j]) + BOX_H, x(col[i]) + BOX_W / 2, y(depth[i])));
            }
        }
        for (int i = 0; i < n; i++) {
            Profiler.NodeTime t = r.nodes().get(i);
            svg.append(String.format(Locale.ROOT, "<g class=\"node %s\" data-row=\"%d\"><title>%s (%s) %s %s: %,d MACs, %,d bytes, %.1f us"
                            + "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"5\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text><text class=\"sub\" x=\"%d\" y=\"%d\">%s %s %.1f us</text></g>\n",
                    t.on().toLowerCase(Locale.ROOT), i, esc(t.name()), esc(t.opType()), t.on(), t.subgraph(), t.macs(),
                    t.bytes(), t.micros(), x(col[i]), y(depth[i]), BOX_W, BOX_H, x(col[i]) + 6, y(depth[i]) + 14,
                    esc(dev.kiln.core.report.NodeReport.cut(t.name(), 28)), x(col[i]) + 6, y(depth[i]) + 28, esc(t.opType()), t.on(),
                    t.micros()));
        }
        svg.append("</svg>\n");
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kiln perf: ")
                .append(esc(m.name())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px}td.n{text-align:right}"
                        + ".edge{stroke:#999;stroke-width:1}.node rect{stroke:#333;stroke-width:1}"
                        + ".bpu rect{fill:#8ec5ff}.cpu rect{fill:#ffc078}text{font-size:11px;font-family:monospace}"
                        + "text.sub{fill:#444;font-size:10px}.key span{padding:2px 10px;margin-right:8px}"
                        + "#graph{overflow:auto;border:1px solid #ddd;max-height:80vh}g.node{cursor:pointer}"
                        + "tr.sel td{background:#fff3a0}\n")
                .append("</style></head><body>\n<h1>kiln perf: ").append(esc(m.name())).append("</h1>\n<p>")
                .append(String.format(Locale.ROOT, "%d instructions, %d thread%s, %d frames: mean latency %.3f ms "
                                + "(min %.3f, max %.3f), %.2f FPS.", m.instructions().size(), r.threads(),
                        r.threads() == 1 ? "" : "s", r.frames(),
                        r.meanMs(), r.minMs(), r.maxMs(), r.fps()))
                .append("</p>\n<p class=\"key\"><span style=\"background:#8ec5ff\">BPU (integer engine)</span>"
                        + "<span style=\"background:#ffc078\">CPU (float)</span></p>\n<h2>Subgraphs</h2>\n<table>"
                        + "<tr><th>Subgraph</th><th>Nodes</th><th>MACs</th><th>Bytes</th><th>Time (us)</th></tr>\n");
        for (Profiler.GroupTime g : r.groups()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%,d</td>"
                    + "<td class=\"n\">%,d</td><td class=\"n\">%.1f</td></tr>\n", esc(g.name()), g.nodes(), g.macs(),
                    g.bytes(), g.micros()));
        }
        h.append("</table>\n<h2>Graph</h2>\n<div id=\"graph\">\n").append(svg).append("</div>\n<h2>Nodes</h2>\n<table>"
                + "<tr><th>#</th><th>Node</th><th>Type</th><th>Kernel</th><th>ON</th><th>Subgraph</th><th>MACs</th>"
                + "<th>Bytes</th><th>Time (us)</th></tr>\n");
        for (Profiler.NodeTime t : r.nodes()) {
            h.append(String.format(Locale.ROOT, "<tr id=\"row-%d\" class=\"%s\"><td class=\"n\">%d</td><td>%s</td><td>%s</td><td>%s</td>"
                            + "<td>%s</td><td>%s</td><td class=\"n\">%,d</td><td class=\"n\">%,d</td><td class=\"n\">%.1f</td>"
                            + "</tr>\n", t.index(), t.on().toLowerCase(Locale.ROOT), t.index(), esc(t.name()), esc(t.opType()),
                    esc(t.label()), t.on(), t.subgraph(), t.macs(), t.bytes(), t.micros()));
        }
        h.append("</table>\n<script>\n")
                .append("document.querySelectorAll('g.node').forEach(function (g) {\n"
                        + "  g.addEventListener('click', function () {\n"
                        + "    document.querySelectorAll('tr.sel').forEach(function (r) { r.classList.remove('sel'); });\n"
                        + "    var row = document.getElementById('row-' + g.getAttribute('data-row'));\n"
                        + "    row.classList.add('sel');\n"
                        + "    row.scrollIntoView({block: 'center'});\n"
                        + "  });\n"
                        + "});\n")
                .append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static int x(int c) {
        return GAP_X + c * (BOX_W + GAP_X);
    }

    private static int y(int d) {
        return GAP_Y + d * (BOX_H + GAP_Y);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
