package dev.kiln.cli;

import dev.kiln.core.exec.InferJob;
import dev.kiln.runtime.util.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code kiln infer}: runs any ONNX model with Kiln's engine and writes the outputs as .npy. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Runs an ONNX model (any of the makertbin artefacts included) with Kiln's engine and writes"
                + " its outputs as <output-name>.npy.",
                "Each --input is NAME=PATH, PATH being a .npy file, a .pb TensorProto file, or a directory of such"
                        + " files (one sample each; outputs then go to OUTPUT_DIR/<sample-name>/)."})
final class InferCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "NAME=PATH",
            description = "an input tensor file or directory (NAME may be left out for a one-input model)")
    List<String> inputs;

    @Option(names = "--output-dir", required = true, paramLabel = "DIR", description = "where the .npy files go")
    Path outputDir;

    @Option(names = "--dump-all", description = "also write every intermediate node output")
    boolean dumpAll;

    @Option(names = "--threads", paramLabel = "N", description = "threads per inference (default: all processors)")
    Integer threads;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Path> in = CliSupport.inputs(inputs);
        int t = threads == null ? Parallel.defaultThreads() : threads;
        java.io.PrintWriter out = spec.commandLine().getOut();
        InferJob.run(model, in, outputDir, dumpAll, t, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
