package dev.kiln.cli;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.ConfigException;
import dev.kiln.core.config.March;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.pipeline.RunLog;
import dev.kiln.runtime.engine.BinPackage;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

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

    /** --model-type: onnx or caffe. */
    static ModelType modelType(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "onnx": return ModelType.ONNX;
            case "caffe": return ModelType.CAFFE;
            default: throw new KilnException("--model-type must be onnx or caffe, found '" + s + "'");
        }
    }

    /** --march: one of the marches, generic when not given. */
    static March march(String s) {
        March m = s == null ? March.GENERIC : March.parse(s);
        if (m == null) {
            throw new KilnException("--march must be bernoulli2, bayes, bayes-e, nash-e, nash-m or generic, found '" + s
                    + "'");
        }
        return m;
    }

    /**
     * Runs a logged command (makertbin, checker): timestamped lines on the console and in
     * kiln_&lt;command&gt;.log in the current directory (or the kiln.log.dir property); errors are
     * logged hb_mapper-style, ending with "exception in command: &lt;command&gt;". Returns the exit
     * status.
     */
    static int logged(String command, CommandSpec spec, boolean verbose, Consumer<RunLog> body) {
        Path file = Path.of(System.getProperty("kiln.log.dir", ".")).resolve("kiln_" + command + ".log");
        try (RunLog log = new RunLog(file, spec.commandLine().getOut())) {
            try {
                body.accept(log);
                return 0;
            } catch (ConfigException e) {
                for (String w : e.warnings()) {
                    log.warn(w);
                }
                log.lines("ERROR", e.logLines());
            } catch (KilnException e) {
                log.error(e.getMessage());
                if (verbose) {
                    e.printStackTrace(spec.commandLine().getErr());
                }
            }
            log.error("exception in command: " + command);
            return 1;
        }
    }
}
