package dev.kiln.core.compile;

import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import dev.kiln.core.config.InputParameters.InputSpec;

import java.util.List;

/**
 * What the compile stage is asked for (SPEC section 10, compiler_parameters).
 *
 * @param name         the model's name in the .bin (output_model_file_prefix)
 * @param level        O0: one kernel per node; O1: + fusions; O2: + memory plan; O3: + kernel variants
 * @param mode         latency or bandwidth: how the memory plan trades arena size against reuse
 * @param coreNum      intra-model threads the runtime uses by default
 * @param jobs         threads used to build and check the kernels at compile time
 * @param debug        store per-node static costs in the .bin
 * @param layerOutDump store the map from convolution nodes to their output tensors
 * @param march        the target profile's name
 * @param inputs       input specifications (image types and layouts) by input name; may be empty
 * @param config       the configuration text recorded in the .bin (may be empty)
 */
public record CompileOptions(String name, OptimizeLevel level, CompileMode mode, int coreNum, int jobs, boolean debug,
                             boolean layerOutDump, String march, List<InputSpec> inputs, String config) {
    public static CompileOptions defaults(String name) {
        return new CompileOptions(name, OptimizeLevel.O3, CompileMode.LATENCY, 1, 1, false, false, "generic", List.of(), "");
    }

    public CompileOptions withLevel(OptimizeLevel l) {
        return new CompileOptions(name, l, mode, coreNum, jobs, debug, layerOutDump, march, inputs, config);
    }

    public CompileOptions withMode(CompileMode m) {
        return new CompileOptions(name, level, m, coreNum, jobs, debug, layerOutDump, march, inputs, config);
    }

    public CompileOptions withCoreNum(int n) {
        return new CompileOptions(name, level, mode, n, jobs, debug, layerOutDump, march, inputs, config);
    }

    public CompileOptions withDebug(boolean d, boolean dump) {
        return new CompileOptions(name, level, mode, coreNum, jobs, d, dump, march, inputs, config);
    }
}
