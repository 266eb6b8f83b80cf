package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Statistics of every float activation of a model (graph inputs and node outputs of the main
 * graph; constants and integer, bool and shape tensors are left out), gathered by running the
 * float model over the calibration samples. Memory is fixed by the number of tensors, whatever the
 * number of samples: each tensor keeps only {@link TensorStats}.
 */
public final class ActivationStats {
    private final Map<String, TensorStats> tensors = new LinkedHashMap<>();
    private long samples;

    /** Empty statistics for the given tensors (in that order). */
    public ActivationStats(List<String> names, boolean perChannel) {
        for (String n : names) {
            tensors.put(n, new TensorStats(n, perChannel));
        }
    }

    /** How a statistics run goes: worker threads, per-channel maxima, and where to dump samples. */
    public record Options(int threads, boolean perChannel, Path dumpDir) {
        public static final Options DEFAULT = new Options(Runtime.getRuntime().availableProcessors(), false, null);

        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, found " + threads);
            }
        }
    }

    /**
     * The main graph's values that calibration measures, in graph order: graph inputs and node
     * outputs whose type is floating point (or not known before running), minus values known
     * before running (initializers, constants and what is computed from them alone).
     */
    public static List<String> floatActivations(Model model, Map<Value, Tensor> constants) {
        Graph g = model.graph();
        List<String> out = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (isFloat(v) && !constants.containsKey(v) && !v.isConstant()) {
                out.add(v.name());
            }
        }
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) {
                if (v != null && !v.name().isEmpty() && isFloat(v) && !constants.containsKey(v) && !v.isConstant()) {
                    out.add(v.name());
                }
            }
        }
        return out;
    }

    private static boolean isFloat(Value v) {
        return v.type() == null || v.type().dtype() == null || v.type().dtype().isFloatingPoint();
    }

    /**
     * Runs the model on every sample (already converted to the model's input types) with
     * {@code options.threads()} workers sharing one executor, each keeping its own statistics;
     * they are merged at the end, exactly, so the result does not depend on which worker ran
     * which sample. Tensors that turn out not to be floating point at run time are dropped.
     */
    public static ActivationStats collect(Model model, CalibrationSamples samples, Options options,
                                          ProgressSink progress) {
        int n = samples.size();
        int workers = Math.max(1, Math.min(options.threads(), n));
        // threads left over when there are fewer samples than threads go to the kernels
        Executor executor = new Executor(model, Math.max(1, options.threads() / workers));
        List<String> names = floatActivations(model, executor.constants());
        List<ActivationStats> partial = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            partial.add(new ActivationStats(names, options.perChannel()));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (ProgressSink.Task task = progress.start("calibration", n)) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                ActivationStats mine = partial.get(w);
                Thread t = new Thread(() -> work(executor, samples, options, mine, next, failure, task),
                        "kiln-calibration-" + w);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            work(executor, samples, options, partial.get(0), next, failure, task);
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, new KilnException("calibration interrupted"));
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        ActivationStats result = new ActivationStats(names, options.perChannel());
        for (ActivationStats p : partial) {
            result.merge(p);
        }
        result.tensors.values().removeIf(s -> !s.seen());
        return result;
    }

    private static void work(Executor executor, CalibrationSamples samples, Options options, ActivationStats stats,
                             AtomicInteger next, AtomicReference<RuntimeException> failure, ProgressSink.Task task) {
        Executor.RunOptions run = new Executor.RunOptions(Set.of(), (value, tensor) -> {
            TensorStats s = stats.tensors.get(value.name());
            if (s != null && tensor.dtype().isFloatingPoint()) {
                s.add(tensor);
            }
        });
        while (failure.get() == null) {
            int i = next.getAndIncrement();
            if (i >= samples.size()) {
                return;
            }
            Map<String, Tensor> sample;
            try {
                sample = samples.get(i);
                if (options.dumpDir() != null) {
                    CalibrationSamples.dump(options.dumpDir(), samples, i, sample);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                return;
            }
            try {
                executor.run(sample, run);
                stats.samples++;
            } catch (RuntimeException e) {
                String label = samples.inputNames().isEmpty() ? "" : " (" + samples.label(i, samples.inputNames().get(0)) + ")";
                failure.compareAndSet(null, new KilnException("calibration sample " + (i + 1) + label + ": "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()), e));
                return;
            }
            task.step();
        }
    }

    /** Adds another set of statistics over the same tensors. */
    public void merge(ActivationStats other) {
        for (Map.Entry<String, TensorStats> e : other.tensors.entrySet()) {
            TensorStats mine = tensors.get(e.getKey());
            if (mine == null) {
                throw new IllegalArgumentException("no statistics for tensor '" + e.getKey() + "'");
            }
            mine.merge(e.getValue());
        }
        samples += other.samples;
    }

    /** Statistics by tensor name, in graph order. */
    public Map<String, TensorStats> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public TensorStats get(String tensor) {
        return tensors.get(tensor);
    }

    /** Samples the statistics were gathered over. */
    public long samples() {
        return samples;
    }

    /** Bytes held by all statistics (a deterministic measure: arrays and fields, not the JVM's accounting). */
    public long retainedBytes() {
        long b = 64;
        for (TensorStats s : tensors.values()) {
            b += 48 + s.retainedBytes();
        }
        return b;
    }
}
