package dev.kiln.cli;

import dev.kiln.core.tools.BinInputs;
import dev.kiln.core.tools.PerfHtml;
import dev.kiln.core.tools.Profiler;
import dev.kiln.core.util.AtomicFiles;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kiln perf X.bin}: per-node and per-subgraph costs and times, and an HTML page with the graph (hb_perf). */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Measures a .bin on pseudo-random inputs and writes <model>.html (the graph coloured BPU/CPU, "
                + "MACs, bytes and time per node and subgraph; opens without a network connection) and <model>.json.")
final class PerfCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "X.bin", description = "the compiled model file")
    Path file;

    @Option(names = "--model-name", paramLabel = "N", description = "the model of a packed file")
    String modelName;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "20", description = "measured inferences (default 20)")
    int frames;

    @Mixin
    WarmupOption warmup;

    @Option(names = "--threads", paramLabel = "N", description = "intra-model threads (default: the model's core_num)")
    Integer threads;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "kiln_perf_result",
            description = "where the page goes (default kiln_perf_result)")
    Path outputDir;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BinPackage pkg = BinPackage.open(file);
        String name = CliSupport.modelName(pkg, modelName, file);
        LoadedModel lm = pkg.load(name, threads == null ? 0 : threads);
        Map<String, dev.kiln.runtime.engine.Input> in = BinInputs.load(lm.inputs(), Map.of(), 2026);
        Profiler.Result r = warmup.measure(lm, in, Math.max(1, frames));
        for (String line : r.summary()) {
            out.println(line);
        }
        Files.createDirectories(outputDir);
        String stem = dev.kiln.core.io.TensorFiles.sanitize(name);
        Path html = outputDir.resolve(stem + ".html");
        AtomicFiles.write(html, PerfHtml.render(lm.compiled(), r).getBytes(StandardCharsets.UTF_8));
        Path json = outputDir.resolve(stem + ".json");
        AtomicFiles.write(json, r.toJson().getBytes(StandardCharsets.UTF_8));
        out.println("Wrote " + html);
        out.println("Wrote " + json);
        return 0;
    }
}
