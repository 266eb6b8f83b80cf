package dev.kiln.core.config;

import java.nio.file.Path;

/**
 * A makertbin configuration (SPEC section 3), parsed and validated: the four required groups and
 * the optional custom_op group. Paths are resolved against the YAML file's directory. Built by
 * the configuration loader; read by the pipeline stages, never a map of strings.
 *
 * @param source the YAML file it came from
 */
public record Config(Path source, ModelParameters model, InputParameters input, CalibrationParameters calibration,
                     CompilerParameters compiler, CustomOpParameters customOp) {
}
