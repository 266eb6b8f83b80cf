package dev.kiln.cli;

import dev.kiln.core.tools.BinVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kiln verify}: the quantized ONNX model and the .bin on the same inputs must agree exactly. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Runs <p>_quantized_model.onnx (Kiln's executor) and the .bin (Kiln's runtime) on the same inputs "
                + "and reports, per output, the mismatching elements, their rate and the largest difference.",
                "Inputs are the quantized model's own tensors (int8 pixel - 128 for image inputs, float32 for "
                        + "featuremaps; a uint8 .npy is shifted by -128); inputs without a file get pseudo-random data."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--quantized", required = true, paramLabel = "Q.onnx", description = "the quantized model")
    Path quantized;

    @Option(names = "--bin", required = true, paramLabel = "X.bin", description = "the compiled model")
    Path bin;

    @Option(names = "--model-name", paramLabel = "N", description = "the model of a packed file")
    String modelName;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "an input tensor (.npy or .pb)")
    List<String> inputs;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "3", description = "runs (default 3)")
    int samples;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "threads of both engines (default 1)")
    int threads;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BinVerifier.Result r = BinVerifier.verify(quantized, bin, modelName, CliSupport.inputs(inputs),
                Math.max(1, samples), Math.max(1, threads));
        out.printf(Locale.ROOT, "%-40s %12s %12s %10s %14s%n", "Output", "Mismatches", "Elements", "Rate", "Max diff");
        for (BinVerifier.OutputResult o : r.outputs()) {
            out.printf(Locale.ROOT, "%-40s %12d %12d %9.5f%% %14.6g%n", o.name(), o.mismatches(), o.total(),
                    100 * o.rate(), o.maxAbsDiff());
        }
        if (r.strict()) {
            out.println("strict check passed (" + r.samples() + " samples)");
            return 0;
        }
        out.println("strict check FAILED: the .bin and the quantized model disagree");
        return 1;
    }
}
