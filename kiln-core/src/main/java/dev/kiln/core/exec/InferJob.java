package dev.kiln.core.exec;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.util.TensorSummary;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code infer} job: runs an ONNX model on input files and writes the outputs (and, when asked,
 * every node output) as .npy files. Each input is a tensor file or a directory of them (one sample
 * per file); with directories, outputs go under {@code outDir/<sample>/}.
 */
public final class InferJob {
    /** What one sample produced. */
    public record SampleResult(String sample, Path directory, List<Path> files, Map<String, Tensor> outputs) {
    }

    private InferJob() {
    }

    public static List<SampleResult> run(Path modelFile, Map<String, Path> inputs, Path outDir, boolean dumpAll,
                                         int threads, Consumer<String> log) {
        Model model = OnnxImporter.load(modelFile);
        Executor ex = new Executor(model, threads);
        Map<String, Path> named = nameInputs(model, inputs);
        List<Map<String, Path>> samples = new ArrayList<>();
        List<String> sampleNames = new ArrayList<>();
        boolean batched = pairSamples(named, samples, sampleNames);
        List<SampleResult> results = new ArrayList<>();
        for (int s = 0; s < samples.size(); s++) {
            Path dir = batched ? outDir.resolve(TensorFiles.sanitize(sampleNames.get(s))) : outDir;
            SampleResult r = runSample(ex, samples.get(s), dir, dumpAll, sampleNames.get(s));
            results.add(r);
            log.accept((batched ? sampleNames.get(s) + ": " : "") + "wrote " + r.files().size() + " file(s) to " + dir);
            for (Map.Entry<String, Tensor> e : r.outputs().entrySet()) {
                log.accept("  " + e.getKey() + " " + TensorSummary.describe(e.getValue()));
            }
        }
        return results;
    }

    /** Gives every input file its model input name (a lone unnamed input fits a one-input model). */
    static Map<String, Path> nameInputs(Model model, Map<String, Path> inputs) {
        List<String> names = new ArrayList<>();
        for (Value v : model.graph().inputs()) {
            names.add(v.name());
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty()) {
                if (names.size() != 1 || inputs.size() != 1) {
                    throw new KilnException("give each input as NAME=PATH; the model's inputs are " + names);
                }
                name = names.get(0);
            }
            if (!names.contains(name)) {
                throw new KilnException("the model has no input named '" + name + "'; its inputs are " + names);
            }
            out.put(name, e.getValue());
        }
        for (String n : names) {
            if (!out.containsKey(n)) {
                throw new KilnException("no file given for input '" + n + "' (use --input " + n + "=PATH); the model's inputs are " + names);
            }
        }
        return out;
    }

    /** Expands directories into samples; returns true when at least one input was a directory. */
    private static boolean pairSamples(Map<String, Path> named, List<Map<String, Path>> samples, List<String> names) {
        Map<String, TreeMap<String, Path>> dirs = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : named.entrySet()) {
            Path p = e.getValue();
            if (!Files.exists(p)) {
                throw new KilnException("input '" + e.getKey() + "': " + p + " does not exist");
            }
            if (Files.isDirectory(p)) {
                dirs.put(e.getKey(), listTensorFiles(e.getKey(), p));
            }
        }
        if (dirs.isEmpty()) {
            samples.add(named);
            names.add("");
            return false;
        }
        TreeMap<String, Path> first = dirs.values().iterator().next();
        for (String stem : first.keySet()) {
            Map<String, Path> sample = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : named.entrySet()) {
                TreeMap<String, Path> files = dirs.get(e.getKey());
                if (files == null) {
                    sample.put(e.getKey(), e.getValue());
                } else if (files.containsKey(stem)) {
                    sample.put(e.getKey(), files.get(stem));
                } else {
                    throw new KilnException("input '" + e.getKey() + "': " + e.getValue() + " has no sample named '" + stem
                            + "' (directories of several inputs are paired by file name)");
                }
            }
            samples.add(sample);
            names.add(stem);
        }
        for (Map.Entry<String, TreeMap<String, Path>> e : dirs.entrySet()) {
            if (e.getValue().size() != first.size()) {
                throw new KilnException("input '" + e.getKey() + "' has " + e.getValue().size() + " samples but the first"
                        + " input directory has " + first.size());
            }
        }
        return true;
    }

    private static TreeMap<String, Path> listTensorFiles(String input, Path dir) {
        TreeMap<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && TensorFiles.isTensorFile(p)) {
                    Path prev = out.put(TensorFiles.stem(p), p);
                    if (prev != null) {
                        throw new KilnException("input '" + input + "': " + prev + " and " + p + " are the same sample");
                    }
                }
            }
        } catch (IOException e) {
            throw new KilnException("cannot list " + dir + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new KilnException("input '" + input + "': directory " + dir + " holds no .npy or .pb files");
        }
        return out;
    }

    private static SampleResult runSample(Executor ex, Map<String, Path> files, Path dir, boolean dumpAll, String sample) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Tensor t = TensorFiles.read(e.getValue());
            Value decl = ex.model().graph().inputs().stream().filter(v -> v.name().equals(e.getKey())).findFirst().orElseThrow();
            try {
                Executor.checkInput(decl, t);
            } catch (KilnException err) {
                throw new KilnException(e.getValue() + ": " + err.getMessage());
            }
            feeds.put(e.getKey(), t);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KilnException("cannot create output directory " + dir + ": " + e.getMessage());
        }
        List<Path> written = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Executor.RunOptions opts = Executor.RunOptions.DEFAULT;
        if (dumpAll) {
            opts = new Executor.RunOptions(Set.of(), (value, tensor) -> {
                if (value.producer() != null) {
                    written.add(write(dir, value.name(), tensor, used));
                }
            });
        }
        Map<String, Tensor> out = ex.run(feeds, opts);
        if (!dumpAll) {
            for (Map.Entry<String, Tensor> e : out.entrySet()) {
                written.add(write(dir, e.getKey(), e.getValue(), used));
            }
        } else {
            // Graph outputs that are inputs or constants are not node outputs; write them too.
            for (Value v : ex.model().graph().outputs()) {
                if (v.producer() == null) {
                    written.add(write(dir, v.name(), out.get(v.name()), used));
                }
            }
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (Value v : ex.model().graph().outputs()) {
            outputs.put(v.name(), out.get(v.name()));
        }
        return new SampleResult(sample, dir, written, outputs);
    }

    private static Path write(Path dir, String name, Tensor t, Set<String> used) {
        String base = TensorFiles.sanitize(name);
        String file = base;
        for (int k = 1; !used.add(file); k++) {
            file = base + "_" + k;
        }
        Path p = dir.resolve(file + ".npy");
        TensorFiles.writeNpy(p, t);
        return p;
    }
}
