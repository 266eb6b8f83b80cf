package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.pipeline.Makertbin;
import dev.kiln.core.util.ProgressSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kiln makertbin}: the full conversion of SPEC section 1. Log lines go to the console and to
 * kiln_makertbin.log in the current directory; errors end with "exception in command: makertbin".
 */
@Command(name = "makertbin", mixinStandardHelpOptions = true,
        description = {"Converts a float model into int8 artefacts as configured by a YAML file: "
                + "<p>_original_float_model.onnx, <p>_optimized_float_model.onnx, <p>_calibrated_model.onnx, "
                + "<p>_quantized_model.onnx, the calibration table and the deployable <p>.bin, in working_dir; prints the "
                + "node-by-node report."})
final class MakertbinCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "F.yaml", description = "the configuration file")
    Path config;

    @Option(names = "--fast-perf", description = "a model for speed evaluation without calibration data: no config, "
            + "calibration skipped (accuracy meaningless), everything possible on the integer engine, O3")
    boolean fastPerf;

    @Option(names = "--model", paramLabel = "M", description = "with --fast-perf: the model file")
    Path model;

    @Option(names = "--proto", paramLabel = "P", description = "with --fast-perf: the Caffe prototxt")
    Path proto;

    @Option(names = "--march", paramLabel = "A", description = "with --fast-perf: bernoulli2, bayes, bayes-e, nash-e, "
            + "nash-m or generic (default generic)")
    String march;

    @Option(names = "--model-type", required = true, paramLabel = "onnx|caffe", description = "onnx or caffe")
    String modelType;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelType type = CliSupport.modelType(modelType);
        return CliSupport.logged("makertbin", spec, verbose.verbose, log -> {
            Config cfg;
            if (fastPerf) {
                if (config != null || model == null) {
                    throw new KilnException("--fast-perf takes --model (and --march), not --config");
                }
                if (type == ModelType.ONNX && proto != null) {
                    throw new KilnException("--proto is for Caffe models (--model-type caffe)");
                }
                cfg = Makertbin.fastPerfConfig(type, model, proto, CliSupport.march(march), Path.of("model_output"));
            } else {
                if (config == null) {
                    throw new KilnException("makertbin needs --config F.yaml (or --fast-perf --model M)");
                }
                cfg = Makertbin.loadConfig(config, type);
            }
            Makertbin.run(cfg, log, new Makertbin.Options(Runtime.getRuntime().availableProcessors(),
                    ProgressSink.console(System.err, "samples")));
        });
    }
}
