package dev.kiln.bench;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where Kiln's float time goes: total time per op type and the slowest nodes over repeated runs
 * (time between consecutive node completions). Usage: NodeProfile MODEL.onnx [threads] [runs].
 */
public final class NodeProfile {
    public static void main(String[] args) {
        Model m = OnnxImporter.load(Path.of(args[0]));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Executor ex = new Executor(m, threads);
        Map<String, Tensor> in = ModelInputs.random(m, 1);
        Map<String, Long> byType = new TreeMap<>();
        Map<Node, Long> byNode = new HashMap<>();
        long[] last = new long[1];
        Executor.RunOptions opts = new Executor.RunOptions(Set.of(), (v, t) -> {
            long now = System.nanoTime();
            Node p = v.producer();
            if (p != null && v == p.outputs().stream().filter(o -> o != null).findFirst().orElse(null)) {
                long dt = now - last[0];
                byType.merge(p.opType(), dt, Long::sum);
                byNode.merge(p, dt, Long::sum);
            }
            last[0] = now;
        });
        for (int i = 0; i < 5; i++) {
            ex.run(in);
        }
        byType.clear();
        byNode.clear();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            last[0] = System.nanoTime();
            ex.run(in, opts);
        }
        double total = (System.nanoTime() - t0) / 1e6 / runs;
        System.out.printf("%.2f ms per run%n", total);
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> System.out.printf("  %-24s %8.3f ms%n", e.getKey(), e.getValue() / 1e6 / runs));
        System.out.println("slowest nodes:");
        byNode.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(40)
                .forEach(e -> {
                    Node n = e.getKey();
                    double ms = e.getValue() / 1e6 / runs;
                    String rate = "";
                    if (n.opType().equals("Conv") && n.output(0).type().isStatic() && n.input(1).type().isStatic()) {
                        int[] o = n.output(0).type().shape();
                        int[] w = n.input(1).type().shape();
                        double macs = 1;
                        for (int d : o) macs *= d;
                        for (int i = 1; i < w.length; i++) macs *= w[i];
                        rate = String.format("%6.1f GFLOP/s", 2 * macs / (ms * 1e6));
                    }
                    System.out.printf("  %-40s %-12s %8.3f ms  %-22s %s%n", n.name(), n.opType(), ms, n.output(0).type(), rate);
                });
    }
}
