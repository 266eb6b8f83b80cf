package dev.kiln.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.core.testing.Tolerance;
import dev.kiln.runtime.kernels.gemm.GemmKernels;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float latency of Kiln's engine against ONNX Runtime on the same model, inputs and thread count,
 * in one process: median of N timed runs after warm-up, and the ratio. Run through
 * scripts/bench-float.sh.
 */
public final class FloatLatencyBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench-float.sh MODEL.onnx [--threads N] [--warmup W] [--runs R]");
            System.exit(2);
        }
        Path modelPath = Path.of(args[0]);
        int threads = 1;
        int warmup = 5;
        int runs = 20;
        String ortProfile = System.getProperty("kiln.bench.ortProfile");
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads": threads = Integer.parseInt(args[i + 1]); break;
                case "--warmup": warmup = Integer.parseInt(args[i + 1]); break;
                case "--runs": runs = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Model model = OnnxImporter.load(modelPath);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        long seed = 1;
        for (Value in : model.graph().inputs()) {
            int[] shape = in.type().shapeOrUnknown();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] < 0 ? 1 : shape[i];
            }
            if (in.type().dtype() != DType.FLOAT) {
                throw new IllegalArgumentException("input " + in.name() + " is " + in.type() + "; the benchmark feeds float32 only");
            }
            inputs.put(in.name(), TestTensors.normal(seed++, shape));
        }
        Executor kiln = new Executor(model, threads);
        long[] kt = new long[runs];
        long[] ot = new long[runs];
        Map<String, Tensor> kout = null;
        Map<String, Tensor> oout = null;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            if (ortProfile != null) {
                opts.enableProfiling(ortProfile);
            }
            try (OrtSession s = env.createSession(modelPath.toString(), opts)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                    feeds.put(e.getKey(), OrtOracle.toOrt(env, e.getValue()));
                }
                // Two rounds of (all Kiln runs, then all ONNX Runtime runs): each engine runs hot and
                // alone, as in deployment, while slow drifts of the machine still reach both.
                int half = runs / 2;
                for (int round = 0; round < 2; round++) {
                    int from = round == 0 ? 0 : half;
                    int to = round == 0 ? half : runs;
                    for (int i = 0; i < warmup + to - from; i++) {
                        long t0 = System.nanoTime();
                        kout = kiln.run(inputs);
                        if (i >= warmup) {
                            kt[from + i - warmup] = System.nanoTime() - t0;
                        }
                    }
                    for (int i = 0; i < warmup + to - from; i++) {
                        long t0 = System.nanoTime();
                        try (OrtSession.Result r = s.run(feeds)) {
                            if (i >= warmup) {
                                ot[from + i - warmup] = System.nanoTime() - t0;
                            }
                            oout = new LinkedHashMap<>();
                            for (var e : r) {
                                oout.put(e.getKey(), OrtOracle.fromOrt((OnnxTensor) e.getValue()));
                            }
                        }
                    }
                }
                for (OnnxTensor t : feeds.values()) {
                    t.close();
                }
                if (ortProfile != null) {
                    System.out.println("ONNX Runtime profile: " + s.endProfiling());
                }
            }
        }
        double km = median(kt) / 1e6;
        double om = median(ot) / 1e6;
        double maxErr = 0;
        for (String name : oout.keySet()) {
            maxErr = Math.max(maxErr, Tolerance.rangeRelativeError(oout.get(name), kout.get(name)));
        }
        System.out.printf("model %s, %d thread(s), %d runs after %d warm-up (GEMM: %s)%n", modelPath.getFileName(),
                threads, runs, warmup, GemmKernels.reason());
        System.out.printf("kiln        median %8.2f ms%n", km);
        System.out.printf("onnxruntime median %8.2f ms%n", om);
        System.out.printf("ratio kiln/onnxruntime %.2f   (outputs agree to %.2e of their range)%n", km / om, maxErr);
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
