package dev.kiln.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The optional custom_op group: custom_op_method (register), op_register_files (Java class names
 * or files naming them) and custom_op_dir.
 */
public record CustomOpParameters(String method, List<String> registerFiles, Path dir) {
}
