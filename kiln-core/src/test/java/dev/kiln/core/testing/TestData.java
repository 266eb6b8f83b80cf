package dev.kiln.core.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared test data (real models, images, the ONNX backend suite). The folder comes from
 * the system property {@code kiln.testdata}, else the environment variable {@code KILN_TESTDATA},
 * else {@code ../shared/testdata} beside the repository. Tests that need it are skipped, with the
 * reason, when it is absent.
 */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        String p = System.getProperty("kiln.testdata");
        if (p == null || p.isBlank()) {
            p = System.getenv("KILN_TESTDATA");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("../shared/testdata").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir.resolve("../shared/testdata").normalize();
    }

    /** The path under the test-data root; skips the calling test when it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p),
                "test data " + p + " is absent (set -Dkiln.testdata or KILN_TESTDATA to the shared testdata folder)");
        return p;
    }

    public static boolean has(String relative) {
        return Files.exists(root().resolve(relative));
    }
}
