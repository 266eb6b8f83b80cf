package dev.kiln.runtime;

/**
 * An error the user can act on, raised by the runtime: a damaged model file, an input of the wrong
 * shape, a node whose parameters make no sense. The message names what is at fault and what was
 * expected; commands print it without a stack trace. The toolchain's errors extend this class.
 */
public class KilnRuntimeException extends RuntimeException {
    public KilnRuntimeException(String message) {
        super(message);
    }

    public KilnRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
