package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.engine.BinPackage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Argument helpers shared by the commands. */
final class CliSupport {
    private CliSupport() {
    }

    /** NAME=PATH pairs (NAME may be left out: key ""), each name at most once. */
    static Map<String, Path> inputs(List<String> specs) {
        Map<String, Path> in = new LinkedHashMap<>();
        if (specs == null) {
            return in;
        }
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? "" : spec.substring(0, eq);
            String path = eq < 0 ? spec : spec.substring(eq + 1);
            if (in.put(name, Path.of(path)) != null) {
                throw new KilnException("input '" + name + "' is given twice");
            }
        }
        return in;
    }

    /** The model to use in a .bin: the named one, or the only one. */
    static String modelName(BinPackage pkg, String requested, Path file) {
        List<String> names = pkg.modelNames();
        if (requested != null) {
            if (!names.contains(requested)) {
                throw new KilnException("--model-name " + requested + ": " + file + " holds " + names);
            }
            return requested;
        }
        if (names.size() != 1) {
            throw new KilnException(file + " holds " + names.size() + " models " + names + "; choose one with --model-name");
        }
        return names.get(0);
    }
}
