package dev.kiln.runtime.ops;

import dev.kiln.runtime.util.Parallel;

/** What a running kernel may ask of the executor that runs it. */
public interface ExecContext {
    /** Threads available to this kernel. */
    Parallel parallel();
}
