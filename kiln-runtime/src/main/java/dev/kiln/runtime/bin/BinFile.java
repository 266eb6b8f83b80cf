package dev.kiln.runtime.bin;

import java.util.List;
import java.util.Map;

/**
 * The contents of a .bin: the format version it was written with, file-level information (the
 * Kiln version that wrote it, whether it is a pack of several files) and its models.
 */
public record BinFile(int formatMajor, int formatMinor, Map<String, String> info, List<CompiledModel> models) {
    public CompiledModel model(String name) {
        for (CompiledModel m : models) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    public boolean isPacked() {
        return Boolean.parseBoolean(info.getOrDefault("packed", "false"));
    }
}
