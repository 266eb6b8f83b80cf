package dev.kiln.cli;

import dev.kiln.core.tools.Profiler;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code --warmup N} of the measuring commands, and the measurement it governs. */
final class WarmupOption {
    /** Warm-up time when no count is given: the JIT compiles the vector kernels only after they have run a while. */
    private static final long DEFAULT_MILLIS = 3000;

    @Option(names = "--warmup", paramLabel = "N", description = "unmeasured runs first (default: for 3 seconds, so that "
            + "the JIT has compiled the kernels)")
    Integer warmup;

    Profiler.Result measure(LoadedModel lm, Map<String, Input> inputs, int frames) {
        return warmup == null ? Profiler.measure(lm, inputs, frames, 5, DEFAULT_MILLIS)
                : Profiler.measure(lm, inputs, frames, Math.max(0, warmup), 0);
    }
}
