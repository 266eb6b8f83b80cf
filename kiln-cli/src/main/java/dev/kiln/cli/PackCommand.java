package dev.kiln.cli;

import dev.kiln.core.compile.BinWriter;
import dev.kiln.core.tools.BinPacker;
import dev.kiln.runtime.bin.BinFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kiln pack A.bin B.bin -o C.bin}: several models in one file (hb_pack). */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = "Packs several single-model .bin files into one; a packed file is not packed again.")
final class PackCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "X.bin", description = "the files to pack")
    List<Path> files;

    @Option(names = "-o", required = true, paramLabel = "OUT.bin", description = "the packed file")
    Path output;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        BinFile f = BinPacker.pack(files);
        BinWriter.write(output, f);
        spec.commandLine().getOut().println("Packed " + f.models().size() + " models into " + output + ": "
                + f.models().stream().map(m -> m.name()).toList());
        return 0;
    }
}
