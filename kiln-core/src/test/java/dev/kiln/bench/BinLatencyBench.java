package dev.kiln.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latency of a compiled model in Kiln's runtime against ONNX Runtime running the same conversion's
 * {@code <p>_quantized_model.onnx} and {@code <p>_original_float_model.onnx}, on the same input
 * tensors and thread count, in one process: median of timed runs after warm-up, and the ratios.
 * Run through scripts/bench-bin.sh.
 */
public final class BinLatencyBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench-bin.sh WORKING_DIR/PREFIX [--threads N] [--warmup W] [--runs R]");
            System.exit(2);
        }
        String prefix = args[0];
        int threads = 1;
        int warmup = 5;
        int runs = 20;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[i + 1]); break;
                case "--warmup": warmup = Integer.parseInt(args[i + 1]); break;
                case "--runs": runs = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path bin = Path.of(prefix + ".bin");
        Path quantized = Path.of(prefix + "_quantized_model.onnx");
        Path original = Path.of(prefix + "_original_float_model.onnx");
        for (Path p : new Path[] {bin, quantized, original}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " does not exist (run makertbin first)");
            }
        }
        Model q = OnnxImporter.load(quantized);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        for (Value in : q.graph().inputs()) {
            Tensor t = Tensor.allocate(in.type().dtype(), in.type().shape());
            for (int i = 0; i < t.size(); i++) {
                t.setDouble(i, in.type().dtype() == DType.FLOAT ? r.nextGaussian() : r.nextInt(-128, 128));
            }
            inputs.put(in.name(), t);
        }
        BinPackage pkg = BinPackage.open(bin);
        LoadedModel lm = pkg.load(pkg.modelNames().get(0), threads);
        Map<String, Input> feed = new LinkedHashMap<>();
        inputs.forEach((k, v) -> feed.put(k, Input.tensor(v)));
        double kiln = time(warmup, runs, () -> lm.infer(feed));
        double ortQ = ort(quantized, inputs, threads, warmup, runs);
        double ortF = ort(original, inputs, threads, warmup, runs);
        System.out.printf("model %s, %d thread(s), %d runs after %d warm-up%n", bin.getFileName(), threads, runs, warmup);
        System.out.printf("kiln runtime (.bin)                   median %8.2f ms%n", kiln);
        System.out.printf("onnxruntime quantized_model.onnx      median %8.2f ms   ratio kiln/this %.2f%n", ortQ, kiln / ortQ);
        System.out.printf("onnxruntime original_float_model.onnx median %8.2f ms   ratio kiln/this %.2f%n", ortF, kiln / ortF);
    }

    private static double ort(Path model, Map<String, Tensor> inputs, int threads, int warmup, int runs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), opts)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                    feeds.put(e.getKey(), OrtOracle.toOrt(env, e.getValue()));
                }
                try {
                    return time(warmup, runs, () -> {
                        try (OrtSession.Result res = s.run(feeds)) {
                            res.size();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                } finally {
                    for (OnnxTensor t : feeds.values()) {
                        t.close();
                    }
                }
            }
        }
    }

    private static double time(int warmup, int runs, Runnable body) {
        long[] t = new long[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            if (i >= warmup) {
                t[i - warmup] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(t);
        return (runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2.0) / 1e6;
    }
}
