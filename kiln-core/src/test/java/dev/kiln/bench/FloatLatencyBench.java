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
        Map<String, Tensor> kout = null;
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            kout = kiln.run(inputs);
            long t1 = System.nanoTime();
            if (i >= warmup) {
                kt[i - warmup] = t1 - t0;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] ot = new long[runs];
        Map<String, Tensor> oout = null;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            try (OrtSession s = env.createSession(modelPath.toString(), opts)) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                    feeds.put(e.getKey(), OrtOracle.toOrt(env, e.getValue()));
                }
                for (int i = 0; i < warmup + runs; i++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result r = s.run(feeds)) {
                        long t1 = System.nanoTime();
                        if (i >= warmup) {
                            ot[i - warmup] = t1 - t0;
                        }
                        if (i == warmup + runs - 1) {
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
