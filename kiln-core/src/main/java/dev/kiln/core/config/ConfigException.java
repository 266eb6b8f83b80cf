package dev.kiln.core.config;

import dev.kiln.core.KilnException;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file that cannot be used, with every problem found in it. Each problem is one
 * log record in the style of hb_mapper: its first line names the group at fault
 * ({@code Key 'model_parameters' error:}), the following lines what is wrong with which key.
 * {@link #logLines()} adds the closing line hb_mapper prints; the caller prefixes each record with
 * its timestamp and level and ends with {@code exception in command: makertbin}.
 */
public final class ConfigException extends KilnException {
    /** The closing line hb_mapper prints after the problems of a rejected configuration. */
    public static final String PARSE_FAILED = "yaml file parse failed. Please double check your input";

    private final List<String> problems;
    private final List<String> warnings;

    public ConfigException(List<String> problems, List<String> warnings) {
        super(String.join("\n", withClosingLine(problems)));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    /** The problems, one log record each (a record may span several lines), in file order. */
    public List<String> problems() {
        return problems;
    }

    /** Warnings collected before the configuration was rejected (worth logging too). */
    public List<String> warnings() {
        return warnings;
    }

    /** The records to log as errors: every problem, then {@link #PARSE_FAILED}. */
    public List<String> logLines() {
        return withClosingLine(problems);
    }

    private static List<String> withClosingLine(List<String> problems) {
        List<String> all = new ArrayList<>(problems);
        all.add(PARSE_FAILED);
        return all;
    }
}
