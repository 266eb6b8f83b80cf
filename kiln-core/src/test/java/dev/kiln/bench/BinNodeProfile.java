package dev.kiln.bench;

import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Per-node time of a .bin in Kiln's runtime as medians over frames (robust to a shared machine,
 * unlike the means of {@code kiln run perf}), from pseudo-random application data (NV12 bytes for
 * image inputs, so the input stage is included in the end-to-end figure): the median frame, the
 * median per label summed over its nodes, and the slowest nodes. Run through scripts/profile-bin.sh.
 */
public final class BinNodeProfile {
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: profile-bin.sh MODEL.bin [--threads N] [--warmup W] [--frames F] [--top K]");
            System.exit(2);
        }
        int threads = 1;
        int warmup = 200;
        int frames = 400;
        int top = 25;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[i + 1]); break;
                case "--warmup": warmup = Integer.parseInt(args[i + 1]); break;
                case "--frames": frames = Integer.parseInt(args[i + 1]); break;
                case "--top": top = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BinPackage pkg = BinPackage.open(Path.of(args[0]));
        LoadedModel lm = pkg.load(pkg.modelNames().get(0), threads);
        Map<String, Input> feed = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        for (IoDescriptor d : lm.inputs()) {
            if (d.type() == IoDescriptor.TensorKind.F32) {
                float[] f = new float[(int) (d.byteSize() / 4)];
                for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
                feed.put(d.name(), Input.floats(f));
            } else {
                byte[] b = new byte[(int) d.byteSize()];
                for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
                feed.put(d.name(), Input.bytes(b));
            }
        }
        CompiledModel m = lm.compiled();
        int n = m.instructions().size();
        for (int i = 0; i < warmup; i++) {
            lm.infer(feed);
        }
        long[][] node = new long[n][frames];
        long[] frame = new long[frames];
        long[] profile = new long[n];
        for (int f = 0; f < frames; f++) {
            Arrays.fill(profile, 0);
            long t0 = System.nanoTime();
            lm.infer(feed, profile);
            frame[f] = System.nanoTime() - t0;
            for (int i = 0; i < n; i++) node[i][f] = profile[i];
        }
        double[] med = new double[n];
        Map<String, double[]> byLabel = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            med[i] = median(node[i]) / 1e3;
            double[] s = byLabel.computeIfAbsent(m.instructions().get(i).label(), k -> new double[2]);
            s[0]++;
            s[1] += med[i];
        }
        System.out.printf("%s, %d thread(s): median frame %.3f ms (%d frames after %d warm-up)%n", args[0], threads,
                median(frame) / 1e6, frames, warmup);
        byLabel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).forEach(e ->
                System.out.printf("  %-30s %4d nodes %10.1f us%n", e.getKey(), (int) e.getValue()[0], e.getValue()[1]));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(med[b], med[a]));
        System.out.println("slowest nodes:");
        for (int k = 0; k < Math.min(top, n); k++) {
            Instruction in = m.instructions().get(order[k]);
            System.out.printf("  %-36s %-28s %9.1f us%n", in.name(), in.label(), med[order[k]]);
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2.0;
    }
}
