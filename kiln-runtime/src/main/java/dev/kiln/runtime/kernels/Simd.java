package dev.kiln.runtime.kernels;

import java.util.Locale;

/**
 * Whether Kiln's Vector API kernels are used, decided once at start-up: yes when the JVM was
 * started with the incubator module {@code jdk.incubator.vector}, unless the system property
 * {@code kiln.simd=false} forces the scalar reference kernels. {@link #reason()} says why, for logs.
 */
public final class Simd {
    private static final String[] REASON = new String[1];
    /** True when Vector API kernels may be loaded. */
    public static final boolean ENABLED = decide();

    private Simd() {
    }

    public static String reason() {
        return REASON[0];
    }

    /** True when the choice was forced by -Dkiln.simd=true. */
    public static boolean forced() {
        return "true".equals(System.getProperty("kiln.simd", "").trim().toLowerCase(Locale.ROOT));
    }

    private static boolean decide() {
        String p = System.getProperty("kiln.simd", "auto").trim().toLowerCase(Locale.ROOT);
        if (p.equals("false") || p.equals("scalar") || p.equals("off")) {
            REASON[0] = "scalar kernels (forced by -Dkiln.simd=" + p + ")";
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            REASON[0] = "scalar kernels (the JVM was started without --add-modules jdk.incubator.vector)";
            return false;
        }
        REASON[0] = "Vector API kernels";
        return true;
    }
}
