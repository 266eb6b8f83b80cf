package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.tools.BinDescribe;
import dev.kiln.core.tools.BinInputs;
import dev.kiln.core.tools.Profiler;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kiln run model_info|infer|perf}: loads a .bin with the runtime (hrt_model_exec). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Loads a .bin with Kiln's runtime.",
                "model_info: prints the input and output descriptors.",
                "infer: runs the model on --input files (or pseudo-random data) and writes <output>.npy files.",
                "perf: measures latency, FPS and per-node times over --frames inferences."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "model_info|infer|perf", description = "what to do")
    String action;

    @Option(names = "--model", required = true, paramLabel = "X.bin", description = "the compiled model file")
    Path model;

    @Option(names = "--model-name", paramLabel = "N", description = "the model of a packed file")
    String modelName;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "input data: .npy (uint8 for images, "
            + "float for featuremaps) or a raw file of the descriptor's byte size; missing inputs get pseudo-random data")
    List<String> inputs;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = ".", description = "infer: where outputs go "
            + "(default: the current directory)")
    Path outputDir;

    @Option(names = "--raw", description = "infer: write outputs as the model produces them (int8/int32 when the "
            + "final Dequantize was removed) instead of dequantized float32")
    boolean raw;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "200", description = "perf: measured inferences "
            + "(default 200)")
    int frames;

    @Mixin
    WarmupOption warmup;

    @Option(names = "--threads", paramLabel = "N", description = "intra-model threads (default: the model's core_num)")
    Integer threads;

    @Option(names = "--profile-path", paramLabel = "DIR", description = "perf: write profile.json (per-node and "
            + "per-subgraph times) into DIR")
    Path profilePath;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BinPackage pkg = BinPackage.open(model);
        switch (action) {
            case "model_info":
                for (String line : BinDescribe.modelInfo(pkg.file(), modelName)) {
                    out.println(line);
                }
                return 0;
            case "infer":
            case "perf":
                break;
            default:
                throw new KilnException("run: unknown action '" + action + "'; use model_info, infer or perf");
        }
        String name = CliSupport.modelName(pkg, modelName, model);
        long t0 = System.nanoTime();
        LoadedModel lm = pkg.load(name, threads == null ? 0 : threads);
        out.printf(java.util.Locale.ROOT, "Load model %s (%d threads): %.3f ms%n", name, lm.threads(),
                (System.nanoTime() - t0) / 1e6);
        Map<String, Input> in = BinInputs.load(lm.inputs(), CliSupport.inputs(inputs), 2026);
        if (action.equals("infer")) {
            Map<String, Output> outs = lm.infer(in);
            Files.createDirectories(outputDir);
            for (Output o : outs.values()) {
                Path f = outputDir.resolve(TensorFiles.sanitize(o.name()) + ".npy");
                TensorFiles.writeNpy(f, raw ? o.raw() : o.dequantized());
                out.println("Wrote " + f);
            }
            return 0;
        }
        if (frames < 1) {
            throw new KilnException("--frames must be at least 1, got " + frames);
        }
        Profiler.Result r = warmup.measure(lm, in, frames);
        for (String line : r.summary()) {
            out.println(line);
        }
        if (profilePath != null) {
            Files.createDirectories(profilePath);
            Path f = profilePath.resolve("profile.json");
            dev.kiln.core.util.AtomicFiles.write(f, r.toJson().getBytes(StandardCharsets.UTF_8));
            out.println("Wrote " + f);
        }
        return 0;
    }
}
