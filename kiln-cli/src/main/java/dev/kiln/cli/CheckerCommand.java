package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.March;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.pipeline.Checker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kiln checker}: parses, optimizes and places a model for a march, and prints the node table
 * and why each CPU node fell back (SPEC section 2). Log lines go to the console and to
 * kiln_checker.log in the current directory; errors end with "exception in command: checker".
 */
@Command(name = "checker", mixinStandardHelpOptions = true,
        description = {"Checks that a model converts for a march: parses and optimizes it, places every node on the "
                + "integer engine (BPU) or the CPU, prints the node table (Node, ON, Subgraph, Type, In/Out DataType) and "
                + "one 'Layer X will be executed on CPU: reason' line per CPU node. Writes nothing but kiln_checker.log."})
final class CheckerCommand implements Callable<Integer> {
    @Option(names = "--model-type", required = true, paramLabel = "onnx|caffe", description = "onnx or caffe")
    String modelType;

    @Option(names = "--model", required = true, paramLabel = "M", description = "the .onnx file (or the .caffemodel)")
    Path model;

    @Option(names = "--proto", paramLabel = "P", description = "the Caffe prototxt")
    Path proto;

    @Option(names = "--march", required = true, paramLabel = "A",
            description = "bernoulli2, bayes, bayes-e, nash-e, nash-m or generic")
    String march;

    @Option(names = "--input-shape", arity = "2", paramLabel = "NAME SHAPE",
            description = "the shape of an input, e.g. --input-shape data 1x3x224x224 (repeatable; needed for inputs "
                    + "with dynamic dims)")
    List<String> inputShapes;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelType type = CliSupport.modelType(modelType);
        return CliSupport.logged("checker", spec, verbose.verbose, log -> {
            March m = CliSupport.march(march);
            if (type == ModelType.CAFFE && proto == null) {
                throw new KilnException("--model-type caffe needs --proto P (the prototxt) beside --model (the caffemodel)");
            }
            Checker.run(type, model, proto, m, shapes(), log);
        });
    }

    /** --input-shape NAME SHAPE pairs, each name once. */
    private Map<String, int[]> shapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        if (inputShapes == null) {
            return out;
        }
        for (int i = 0; i + 1 < inputShapes.size(); i += 2) {
            String name = inputShapes.get(i);
            if (out.put(name, Checker.parseShape(name, inputShapes.get(i + 1))) != null) {
                throw new KilnException("--input-shape " + name + " is given twice");
            }
        }
        return out;
    }
}
