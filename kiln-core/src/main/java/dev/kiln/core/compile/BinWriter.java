package dev.kiln.core.compile;

import dev.kiln.core.KilnException;
import dev.kiln.core.Version;
import dev.kiln.core.util.AtomicFiles;
import dev.kiln.runtime.bin.BinCodec;
import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.bin.CompiledModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes .bin files: atomically (a failed write leaves no file under the final name) and reproducibly. */
public final class BinWriter {
    private BinWriter() {
    }

    /** A file holding the given models; {@code packed} marks the result of kiln pack. */
    public static BinFile file(List<CompiledModel> models, boolean packed) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("writer", "kiln " + Version.get());
        info.put("packed", Boolean.toString(packed));
        return new BinFile(BinCodec.FORMAT_MAJOR, BinCodec.FORMAT_MINOR, info, List.copyOf(models));
    }

    public static byte[] bytes(BinFile f) {
        return BinCodec.encode(f);
    }

    public static void write(Path target, BinFile f) {
        try {
            AtomicFiles.write(target, BinCodec.encode(f));
        } catch (IOException e) {
            throw new KilnException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
