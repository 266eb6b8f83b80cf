package dev.kiln.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.pipeline.Makertbin;
import dev.kiln.core.pipeline.RunLog;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Wall time of makertbin against N float forward passes of ONNX Runtime on the source model, N
 * being the number of calibration samples, in one process and at the same thread count. The first
 * makertbin run includes JIT warm-up (what a user sees once per JVM); the second is warm. Run
 * through scripts/bench-makertbin.sh.
 */
public final class MakertbinWallBench {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: bench-makertbin.sh CONFIG.yaml");
            System.exit(2);
        }
        Config cfg = Makertbin.loadConfig(Path.of(args[0]), ModelType.ONNX);
        int threads = Runtime.getRuntime().availableProcessors();
        int samples;
        try (Stream<Path> s = Files.list(cfg.calibration().sources().get(0).dir())) {
            samples = (int) s.filter(Files::isRegularFile).count();
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        double[] kiln = new double[2];
        for (int run = 0; run < 2; run++) {
            Path log = Files.createTempFile("kiln-bench", ".log");
            long t0 = System.nanoTime();
            try (RunLog rl = new RunLog(log, quiet)) {
                Makertbin.run(cfg, rl, new Makertbin.Options(threads, dev.kiln.core.util.ProgressSink.NONE));
            }
            kiln[run] = (System.nanoTime() - t0) / 1e9;
            Files.deleteIfExists(log);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double ort;
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(cfg.model().onnxModel().toString(), opts)) {
                for (int i = 0; i < samples; i++) {
                    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                    long seed = i;
                    for (var in : s.getInputInfo().entrySet()) {
                        long[] dims = ((ai.onnxruntime.TensorInfo) in.getValue().getInfo()).getShape();
                        int[] shape = new int[dims.length];
                        for (int d = 0; d < dims.length; d++) {
                            shape[d] = dims[d] < 0 ? 1 : (int) dims[d];
                        }
                        feeds.put(in.getKey(), OrtOracle.toOrt(env, TestTensors.normal(seed++, shape)));
                    }
                    try (OrtSession.Result r = s.run(feeds)) {
                        r.size();
                    }
                    for (OnnxTensor t : feeds.values()) {
                        t.close();
                    }
                }
            }
        }
        ort = (System.nanoTime() - t0) / 1e9;
        System.out.printf("config %s: %d calibration samples, %d threads, calibration_type %s%n", args[0], samples,
                threads, cfg.calibration().type().name().toLowerCase());
        System.out.printf("makertbin (first run in this JVM) %8.2f s%n", kiln[0]);
        System.out.printf("makertbin (second run)            %8.2f s%n", kiln[1]);
        System.out.printf("onnxruntime, %d float passes      %8.2f s (session creation included)%n", samples, ort);
        System.out.printf("ratio makertbin/onnxruntime: first %.1f, second %.1f%n", kiln[0] / ort, kiln[1] / ort);
    }
}
