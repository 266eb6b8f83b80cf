package dev.kiln.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads and checks the optional custom_op group. */
final class CustomOpSection {
    static final String NAME = "custom_op";
    static final List<String> KEYS = List.of("custom_op_method", "op_register_files", "custom_op_dir");

    private CustomOpSection() {
    }

    static CustomOpParameters read(Group g) {
        String method = g.required("custom_op_method");
        if (method != null && !method.equals("register")) {
            g.error("'custom_op_method': '" + method + "' is not one of 'register'");
            method = null;
        }
        List<String> files = g.names("op_register_files");
        if (files.isEmpty()) {
            g.error("Missing key: 'op_register_files' (the classes registering the custom operators)");
        }
        Path dir = null;
        String d = g.text("custom_op_dir");
        if (d != null && !d.isEmpty()) {
            dir = g.resolve(d);
            if (!Files.isDirectory(dir)) {
                g.error("'custom_op_dir': directory not found: " + dir);
            }
        }
        return new CustomOpParameters(method, files, dir);
    }
}
