package dev.kiln.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem and warning of one configuration file, so all are reported at once. */
final class Problems {
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings;

    Problems(List<String> warnings) {
        this.warnings = warnings;
    }

    /** A problem inside a group: {@code Key 'group' error:} then the detail, as hb_mapper prints it. */
    void error(String group, String detail) {
        errors.add("Key '" + group + "' error:\n" + detail);
    }

    /** A problem with the file's top level (a missing or misspelt group). */
    void top(String detail) {
        errors.add(detail);
    }

    void warn(String group, String key, String message) {
        warnings.add(group + "." + key + ": " + message);
    }

    int errorCount() {
        return errors.size();
    }

    List<String> warnings() {
        return warnings;
    }

    /** Throws a {@link ConfigException} with every problem collected so far, if any. */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, warnings);
        }
    }
}
