package dev.kiln.core.config;

import dev.kiln.core.config.YamlTree.Scalar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed, validating access to the keys of one group of the configuration. Every accessor reports
 * what it cannot accept to {@link Problems}, naming the group and the key, and returns null (or the
 * default) so that checking goes on and all problems of the file are reported together.
 */
final class Group {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    final String name;
    final Problems problems;
    final Path baseDir;
    private final Map<String, Object> values;

    /**
     * @param raw  the group's mapping in the file (null: empty, read as no keys)
     * @param keys the keys this group accepts; any other is reported with a "did you mean" hint
     */
    Group(String name, Object raw, List<String> keys, Problems problems, Path baseDir) {
        this.name = name;
        this.problems = problems;
        this.baseDir = baseDir;
        Map<String, Object> map = new LinkedHashMap<>();
        if (raw != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) raw;
            map.putAll(m);
        }
        for (String k : new ArrayList<>(map.keySet())) {
            if (!keys.contains(k)) {
                String hint = Suggest.closest(k, keys);
                error("Wrong key '" + k + "'" + (hint != null ? ": did you mean '" + hint + "'?"
                        : " (allowed keys: " + Suggest.quoted(keys) + ")"));
                map.remove(k);
            }
        }
        this.values = map;
    }

    void error(String detail) {
        problems.error(name, detail);
    }

    void warn(String key, String message) {
        problems.warn(name, key, message);
    }

    /** The key is given with a non-null value. */
    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    /** The key's text, null when absent; a mapping or list where one value belongs is reported. */
    String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Scalar) {
            return ((Scalar) v).text().trim();
        }
        error("'" + key + "': expected a single value, found " + YamlTree.kind(v));
        return null;
    }

    /** The key's text; a missing or empty value is reported as hb_mapper does: Missing key: 'x'. */
    String required(String key) {
        if (!values.containsKey(key)) {
            error("Missing key: '" + key + "'");
            return null;
        }
        String s = text(key);
        if (values.get(key) == null || s != null && s.isEmpty()) {
            error("'" + key + "' is empty");
            return null;
        }
        return s;
    }

    /** True/False, true/false, yes/no, on/off, quoted or not (hb_mapper reads YAML 1.1 booleans). */
    boolean bool(String key, boolean dflt) {
        String s = text(key);
        if (s == null) {
            return dflt;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on":
                return true;
            case "false": case "no": case "off":
                return false;
            default:
                error("'" + key + "': '" + s + "' is not a boolean (True or False)");
                return dflt;
        }
    }

    /** A whole number (quoted or not), null when absent or not a whole number (reported). */
    Long integer(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            error("'" + key + "': '" + s + "' is not a whole number");
            return null;
        }
    }

    /** A finite number (quoted or not), null when absent or not a number (reported). */
    Double number(String key) {
        String s = text(key);
        if (s == null) {
            return null;
        }
        Double d = parseNumber(s);
        if (d == null) {
            error("'" + key + "': '" + s + "' is not a number");
        }
        return d;
    }

    /** A decimal number as YAML writes it (no hex, no Java suffixes), null otherwise. */
    static Double parseNumber(String s) {
        String t = s.trim();
        if (!DECIMAL.matcher(t).matches()) {
            return null;
        }
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null;
    }

    /** The key's value among {@code options} (matched ignoring case), {@code dflt} when absent. */
    <E> E choice(String key, Map<String, E> options, E dflt) {
        String s = text(key);
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        return match("'" + key + "'", s, options);
    }

    /**
     * The option spelled {@code value} (ignoring case), or null after reporting
     * {@code where: 'value' is not one of ...} with a "did you mean" hint.
     */
    <E> E match(String where, String value, Map<String, E> options) {
        for (Map.Entry<String, E> e : options.entrySet()) {
            if (e.getKey().equalsIgnoreCase(value.trim())) {
                return e.getValue();
            }
        }
        error(where + ": '" + value + "' is not one of " + Suggest.quoted(options.keySet())
                + Suggest.hint(value, options.keySet()));
        return null;
    }

    /**
     * A list of names: one string with ';' between entries, or a YAML list. Blank entries
     * (a trailing ';') are dropped; empty list when absent.
     */
    List<String> names(String key) {
        Object v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof Scalar) {
            for (String s : ((Scalar) v).text().split(";")) {
                if (!s.trim().isEmpty()) {
                    out.add(s.trim());
                }
            }
        } else if (v instanceof List) {
            for (Object item : (List<?>) v) {
                if (item instanceof Scalar) {
                    if (!((Scalar) item).text().trim().isEmpty()) {
                        out.add(((Scalar) item).text().trim());
                    }
                } else if (item != null) {
                    error("'" + key + "': expected names, found " + YamlTree.kind(item) + " in the list");
                }
            }
        } else {
            error("'" + key + "': expected names separated by ';', found " + YamlTree.kind(v));
        }
        return out;
    }

    /** A path as written in the file, resolved against the YAML file's directory. */
    Path resolve(String text) {
        return baseDir.resolve(text).toAbsolutePath().normalize();
    }

    /** An enum constant as the configuration spells it: data_mean_and_scale, float32, latency. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Spellings of an enum's constants in the file, in declaration order: the constant names (NCHW, O3, BPU). */
    static <E extends Enum<E>> Map<String, E> upperCaseNames(E[] constants) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E c : constants) {
            m.put(c.name(), c);
        }
        return m;
    }

    /** Spellings of an enum's constants in the file, in declaration order: the lower-case constant names. */
    static <E extends Enum<E>> Map<String, E> lowerCaseNames(E[] constants) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E c : constants) {
            m.put(c.name().toLowerCase(Locale.ROOT), c);
        }
        return m;
    }
}
