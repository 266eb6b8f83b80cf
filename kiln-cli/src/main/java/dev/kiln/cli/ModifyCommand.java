package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.core.compile.BinWriter;
import dev.kiln.core.tools.BinModifier;
import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.engine.BinPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kiln modify}: removes Quantize/Dequantize/Transpose/Cast/Reshape/Softmax nodes at a model's head or tail. */
@Command(name = "modify", mixinStandardHelpOptions = true,
        description = {"Removes QuantizeLinear, DequantizeLinear, Transpose, Cast, Reshape (head or tail) and Softmax "
                + "(tail) nodes of a .bin so that the application does their work; without -r or -a, lists the nodes "
                + "that can be removed.",
                "The result goes to <name>_modified.bin (or -o) and records each removal; `kiln info` shows them."})
final class ModifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "X.bin", description = "the compiled model file")
    Path file;

    @Option(names = "-r", paramLabel = "NODE", description = "remove this node (repeatable)")
    List<String> names = new ArrayList<>();

    @Option(names = "-a", paramLabel = "TYPE", description = "remove every head/tail node of this op type, e.g. "
            + "DequantizeLinear (repeatable)")
    List<String> types = new ArrayList<>();

    @Option(names = "-o", paramLabel = "OUT.bin", description = "output file (default <name>_modified.bin beside the input)")
    Path output;

    @Option(names = "--model-name", paramLabel = "N", description = "the model of a packed file (default: all)")
    String modelName;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BinPackage pkg = BinPackage.open(file);
        BinFile f = pkg.file();
        if (modelName != null) {
            CliSupport.modelName(pkg, modelName, file);
        }
        if (names.isEmpty() && types.isEmpty()) {
            for (CompiledModel m : f.models()) {
                if (modelName != null && !modelName.equals(m.name())) {
                    continue;
                }
                List<BinModifier.Candidate> cs = BinModifier.candidates(m);
                out.println("Model " + m.name() + ": " + cs.size() + " removable node" + (cs.size() == 1 ? "" : "s"));
                for (BinModifier.Candidate c : cs) {
                    out.println("  " + c.describe());
                }
            }
            out.println("Remove with -r NODE or -a TYPE.");
            return 0;
        }
        List<CompiledModel> models = new ArrayList<>();
        int before = 0;
        int after = 0;
        for (CompiledModel m : f.models()) {
            if (modelName == null || modelName.equals(m.name())) {
                CompiledModel mm = BinModifier.remove(m, names, types);
                before += m.deleted().size();
                after += mm.deleted().size();
                for (int i = m.deleted().size(); i < mm.deleted().size(); i++) {
                    var d = mm.deleted().get(i);
                    out.println("Removed " + d.name() + " (" + d.opType() + ") from " + m.name() + ": " + d.detail());
                }
                models.add(mm);
            } else {
                models.add(m);
            }
        }
        if (after == before) {
            throw new KilnException("-a " + types + ": no node of that type at the head or tail of " + file);
        }
        Path target = output != null ? output : file.resolveSibling(
                file.getFileName().toString().replaceFirst("\\.bin$", "") + "_modified.bin");
        BinWriter.write(target, new BinFile(f.formatMajor(), f.formatMinor(), f.info(), models));
        out.println("Wrote " + target);
        return 0;
    }
}
