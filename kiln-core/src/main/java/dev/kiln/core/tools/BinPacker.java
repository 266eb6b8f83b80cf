package dev.kiln.core.tools;

import dev.kiln.core.KilnException;
import dev.kiln.core.compile.BinWriter;
import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.engine.BinPackage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kiln pack}: several single-model .bin files in one (hb_pack). Packed files are not packed again. */
public final class BinPacker {
    private BinPacker() {
    }

    public static BinFile pack(List<Path> files) {
        if (files.size() < 2) {
            throw new KilnException("pack needs at least two .bin files, got " + files.size());
        }
        List<CompiledModel> models = new ArrayList<>();
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Path p : files) {
            BinFile f = BinPackage.open(p).file();
            if (f.isPacked()) {
                throw new KilnException(p + " is already a packed file (" + f.models().size() + " models); pack the "
                        + "original single-model .bin files instead");
            }
            for (CompiledModel m : f.models()) {
                Path other = seen.put(m.name(), p);
                if (other != null) {
                    throw new KilnException("model name '" + m.name() + "' is in both " + other + " and " + p
                            + "; names must be unique in a packed file (set output_model_file_prefix)");
                }
                models.add(m);
            }
        }
        return BinWriter.file(models, true);
    }
}
