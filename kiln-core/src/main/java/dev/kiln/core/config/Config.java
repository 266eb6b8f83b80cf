package dev.kiln.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A makertbin configuration (SPEC section 3), parsed and validated: the four required groups and
 * the optional custom_op group. Paths are absolute, resolved against the YAML file's directory.
 * Built by {@link ConfigLoader}; read by the pipeline stages, never a map of strings.
 *
 * @param source   the YAML file it came from
 * @param customOp the custom_op group, or null when absent
 * @param warnings what the loader accepted but the user should hear about (values ignored, a
 *                 cal_data_type that contradicts its directory name, ...), for the caller to log
 */
public record Config(Path source, ModelParameters model, InputParameters input, CalibrationParameters calibration,
                     CompilerParameters compiler, CustomOpParameters customOp, List<String> warnings) {
}
