package dev.kiln.runtime.bin;

import dev.kiln.runtime.KilnRuntimeException;

/** A file that is not a readable Kiln .bin: damaged, truncated, of a newer format, or not one at all. */
public final class BinFormatException extends KilnRuntimeException {
    public BinFormatException(String message) {
        super(message);
    }
}
