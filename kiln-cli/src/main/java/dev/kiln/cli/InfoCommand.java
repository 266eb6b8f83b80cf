package dev.kiln.cli;

import dev.kiln.core.tools.BinDescribe;
import dev.kiln.runtime.engine.BinPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kiln info X.bin}: versions, build options, the YAML that built it, inputs/outputs, deleted nodes. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints what a .bin holds: versions, build options, subgraphs, inputs and outputs, deleted nodes "
                + "and the configuration that built each model.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "X.bin", description = "the compiled model file")
    Path file;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : BinDescribe.info(BinPackage.open(file).file(), file.toString())) {
            out.println(line);
        }
        return 0;
    }
}
