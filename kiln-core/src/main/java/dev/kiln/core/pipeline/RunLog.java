package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The log of a makertbin or checker run: timestamped lines ({@code 2026-11-26 11:13:08,337 INFO ...})
 * on the console and in a log file, stage start and end lines with the time each stage took.
 * Thread-safe.
 */
public final class RunLog implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);

    private final java.util.function.Consumer<String> console;
    private final BufferedWriter file;

    /**
     * @param logFile the log file (created or replaced), or null for console only
     * @param console where lines are echoed, or null for none
     */
    public RunLog(Path logFile, PrintStream console) {
        this(logFile, console == null ? null : (java.util.function.Consumer<String>) console::println);
    }

    /** With the console as a PrintWriter (flushed after each line). */
    public RunLog(Path logFile, java.io.PrintWriter console) {
        this(logFile, console == null ? null : (java.util.function.Consumer<String>) l -> {
            console.println(l);
            console.flush();
        });
    }

    private RunLog(Path logFile, java.util.function.Consumer<String> console) {
        this.console = console;
        BufferedWriter w = null;
        if (logFile != null) {
            try {
                Path dir = logFile.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KilnException("cannot write the log file " + logFile + ": " + e.getMessage());
            }
        }
        this.file = w;
    }

    /** A log that only collects nothing (for API users who do not want output). */
    public static RunLog silent() {
        return new RunLog(null, (java.util.function.Consumer<String>) null);
    }

    public void info(String message) {
        line("INFO", message);
    }

    public void warn(String message) {
        line("WARNING", message);
    }

    public void error(String message) {
        line("ERROR", message);
    }

    /** Logs each line of a multi-line message with the same level. */
    public void lines(String level, Iterable<String> lines) {
        for (String l : lines) {
            line(level, l);
        }
    }

    public synchronized void line(String level, String message) {
        String ts = LocalDateTime.now().format(TIME);
        for (String part : message.split("\n", -1)) {
            String l = ts + " " + level + " " + part;
            if (console != null) {
                console.accept(l);
            }
            if (file != null) {
                try {
                    file.write(l);
                    file.newLine();
                    file.flush();
                } catch (IOException e) {
                    // the console still has the line; a failing log file must not stop the conversion
                }
            }
        }
    }

    /** Runs a stage between "Start ..." and "End ... (t s)" lines. */
    public <T> T stage(String name, java.util.function.Supplier<T> body) {
        info("Start " + name + "...");
        long t0 = System.nanoTime();
        T r = body.get();
        info(String.format(Locale.ROOT, "End %s, took %.3f s", name, (System.nanoTime() - t0) / 1e9));
        return r;
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
