package dev.kiln.core.tools;

import dev.kiln.core.compile.Costs;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.SubgraphInfo;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a loaded model: end-to-end latency over a number of frames (after warm-up runs) and the
 * time of every instruction, with its static costs (MACs, bytes moved) and placement; sums per
 * subgraph. Used by {@code kiln run perf} and {@code kiln perf}.
 */
public final class Profiler {
    /** One instruction: placement, static costs and mean measured time. */
    public record NodeTime(int index, String name, String opType, String label, String on, String subgraph, long macs,
                           long bytes, double micros) {
    }

    /** One subgraph (or "CPU" for all CPU instructions together). */
    public record GroupTime(String name, int nodes, long macs, long bytes, double micros) {
    }

    /** The measurement. */
    public record Result(String model, int threads, int frames, double meanMs, double minMs, double maxMs, double fps,
                         List<NodeTime> nodes, List<GroupTime> groups) {
        public List<String> summary() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "Model: %s, threads: %d, frames: %d", model, threads, frames));
            out.add(String.format(Locale.ROOT, "Latency: mean %.3f ms, min %.3f ms, max %.3f ms; FPS %.2f", meanMs, minMs,
                    maxMs, fps));
            for (GroupTime g : groups) {
                out.add(String.format(Locale.ROOT, "  %-8s %4d nodes %,16d MACs %,14d bytes %10.1f us", g.name(), g.nodes(),
                        g.macs(), g.bytes(), g.micros()));
            }
            return out;
        }

        /** The profile as JSON: summary, per-subgraph and per-node figures. */
        public String toJson() {
            StringBuilder sb = new StringBuilder();
            sb.append("{\n  \"model\": ").append(str(model)).append(",\n  \"threads\": ").append(threads)
                    .append(",\n  \"frames\": ").append(frames)
                    .append(String.format(Locale.ROOT, ",\n  \"latency_ms\": {\"mean\": %.6f, \"min\": %.6f, \"max\": %.6f}",
                            meanMs, minMs, maxMs))
                    .append(String.format(Locale.ROOT, ",\n  \"fps\": %.4f,\n  \"subgraphs\": [", fps));
            for (int i = 0; i < groups.size(); i++) {
                GroupTime g = groups.get(i);
                sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                        "    {\"name\": %s, \"nodes\": %d, \"macs\": %d, \"bytes\": %d, \"time_us\": %.3f}", str(g.name()),
                        g.nodes(), g.macs(), g.bytes(), g.micros()));
            }
            sb.append("\n  ],\n  \"nodes\": [");
            for (int i = 0; i < nodes.size(); i++) {
                NodeTime n = nodes.get(i);
                sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                        "    {\"name\": %s, \"type\": %s, \"label\": %s, \"on\": %s, \"subgraph\": %s, \"macs\": %d, "
                                + "\"bytes\": %d, \"time_us\": %.3f}", str(n.name()), str(n.opType()), str(n.label()),
                        str(n.on()), str(n.subgraph()), n.macs(), n.bytes(), n.micros()));
            }
            return sb.append("\n  ]\n}\n").toString();
        }
    }

    private Profiler() {
    }

    /**
     * Runs unmeasured inferences (at least {@code warmup}, and for at least {@code warmupMillis}: the
     * JIT compiles the vector kernels only after they have run for a while), then {@code frames}
     * measured ones.
     */
    public static Result measure(LoadedModel lm, Map<String, Input> inputs, int frames, int warmup, long warmupMillis) {
        CompiledModel m = lm.compiled();
        int n = m.instructions().size();
        long until = System.nanoTime() + warmupMillis * 1_000_000L;
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
            lm.infer(inputs);
        }
        long[] profile = new long[n];
        double[] ms = new double[Math.max(1, frames)];
        long start = System.nanoTime();
        for (int f = 0; f < ms.length; f++) {
            long t0 = System.nanoTime();
            lm.infer(inputs, profile);
            ms[f] = (System.nanoTime() - t0) / 1e6;
        }
        double total = (System.nanoTime() - start) / 1e9;
        List<NodeTime> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instruction in = m.instructions().get(i);
            boolean bpu = in.subgraph() >= 0;
            nodes.add(new NodeTime(i, in.name(), in.opType(), in.label(), bpu ? "BPU" : "CPU",
                    bpu ? "id(" + in.subgraph() + ")" : "--", Costs.macs(in, m.tensors()), Costs.bytes(in, m.tensors()),
                    profile[i] / 1e3 / ms.length));
        }
        List<GroupTime> groups = new ArrayList<>();
        for (SubgraphInfo s : m.subgraphs()) {
            groups.add(group(s.label(), nodes, Arrays.stream(s.instructions()).boxed().toList()));
        }
        List<Integer> cpu = new ArrayList<>();
        for (NodeTime t : nodes) {
            if (t.on().equals("CPU")) {
                cpu.add(t.index());
            }
        }
        groups.add(group("CPU", nodes, cpu));
        double mean = Arrays.stream(ms).average().orElse(0);
        return new Result(m.name(), lm.threads(), ms.length, mean, Arrays.stream(ms).min().orElse(0),
                Arrays.stream(ms).max().orElse(0), ms.length / total, nodes, groups);
    }

    private static GroupTime group(String name, List<NodeTime> nodes, List<Integer> members) {
        long macs = 0;
        long bytes = 0;
        double us = 0;
        for (int i : members) {
            NodeTime t = nodes.get(i);
            macs += t.macs();
            bytes += t.bytes();
            us += t.micros();
        }
        return new GroupTime(name, members.size(), macs, bytes, us);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
