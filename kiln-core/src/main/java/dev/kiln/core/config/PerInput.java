package dev.kiln.core.config;

import dev.kiln.core.config.YamlTree.Scalar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-input values of one group: one entry per input_name entry, separated by ';' (a single
 * trailing ';' is allowed). An empty entry means "not given for this input".
 */
final class PerInput {
    private final Group g;
    private final List<String> names;

    /** @param names the input names ("" alone: the model's single, unnamed input) */
    PerInput(Group g, List<String> names) {
        this.g = g;
        this.names = names;
    }

    int count() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    /** One entry per input ("" where not given), or null when the key is absent or malformed (reported). */
    String[] values(String key) {
        Object v = g.raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Scalar)) {
            g.error("'" + key + "': expected one value per input separated by ';', found " + YamlTree.kind(v));
            return null;
        }
        String text = ((Scalar) v).text();
        List<String> parts = new ArrayList<>(Arrays.asList(text.split(";", -1)));
        int n = names.size();
        if (parts.size() == n + 1 && parts.get(n).trim().isEmpty()) {
            parts.remove(n);
        }
        if (parts.size() != n) {
            g.error("'" + key + "': " + parts.size() + " entries separated by ';' but "
                    + (n == 1 && names.get(0).isEmpty() ? "1 input (input_name is empty: the model's single input)"
                    : n + (n == 1 ? " input" : " inputs") + " in input_name") + ", found '" + text + "'");
            return null;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = parts.get(i).trim();
        }
        return out;
    }

    /** Entry i, null when not given. */
    static String entry(String[] values, int i) {
        return values == null || values[i].isEmpty() ? null : values[i];
    }

    /** 'key' for the unnamed single input, 'key' of input 'name' otherwise. */
    String where(String key, int i) {
        String name = names.get(i);
        return name.isEmpty() ? "'" + key + "'" : "'" + key + "' of input '" + name + "'";
    }

    /** "" for the unnamed single input, "input 'name': " otherwise (a prefix for warnings). */
    String prefix(int i) {
        return names.get(i).isEmpty() ? "" : "input '" + names.get(i) + "': ";
    }
}
