package dev.kiln.core;

/**
 * An error the user can act on: its message names the file, key or node at fault, what was
 * expected and what was found. Commands print the message alone, without a stack trace.
 */
public class KilnException extends dev.kiln.runtime.KilnRuntimeException {
    public KilnException(String message) {
        super(message);
    }

    public KilnException(String message, Throwable cause) {
        super(message, cause);
    }
}
