package dev.kiln.core.passes;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where the optimizer reports: one summary line per pass run at info level, each rewrite (by node
 * name) at debug level, and warnings. The makertbin pipeline connects this to its own log file;
 * {@link #none()} discards everything and {@link #of(Logger)} forwards to java.util.logging.
 */
public interface PassLog {
    void info(String message);

    default void warn(String message) {
        info("WARNING " + message);
    }

    default void debug(String message) {
    }

    /** Discards every message. */
    static PassLog none() {
        return message -> { };
    }

    /** Forwards to a java.util.logging logger: info as INFO, warn as WARNING, debug as FINE. */
    static PassLog of(Logger logger) {
        return new PassLog() {
            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message) {
                logger.warning(message);
            }

            @Override
            public void debug(String message) {
                logger.log(Level.FINE, message);
            }
        };
    }
}
