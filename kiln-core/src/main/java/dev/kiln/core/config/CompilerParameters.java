package dev.kiln.core.config;

import java.util.Map;

/**
 * The compiler_parameters group.
 *
 * @param inputSource input_source per input name (nv12 defaults to pyramid, others to ddr)
 * @param maxTimePerFc max_time_per_fc (0: no limit)
 * @param jobs         parallel compile workers
 */
public record CompilerParameters(CompileMode compileMode, boolean debug, int coreNum, OptimizeLevel optimizeLevel,
                                 Map<String, InputSource> inputSource, long maxTimePerFc, int jobs) {
    public enum CompileMode {
        LATENCY, BANDWIDTH
    }

    public enum OptimizeLevel {
        O0, O1, O2, O3
    }

    public enum InputSource {
        DDR, PYRAMID, RESIZER
    }
}
