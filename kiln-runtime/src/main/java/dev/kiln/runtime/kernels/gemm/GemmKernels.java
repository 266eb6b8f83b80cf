package dev.kiln.runtime.kernels.gemm;

/**
 * Chooses the GEMM micro-kernel once, at start-up: the Vector API kernel when the incubator module
 * is present and its vectors hold at least 8 floats, else the scalar reference. The system property
 * {@code kiln.simd} forces a choice ({@code true} / {@code false}); {@link #reason()} says why the
 * choice was made, for logs.
 */
public final class GemmKernels {
    private static final String[] REASON = new String[1];
    private static final MicroKernel KERNEL = choose();

    private GemmKernels() {
    }

    public static MicroKernel get() {
        return KERNEL;
    }

    /** The scalar reference with the same tile shape as the chosen kernel (for tests and fallbacks). */
    public static MicroKernel scalarLike(MicroKernel k) {
        return new ScalarMicroKernel(k.mr(), k.nr());
    }

    public static String reason() {
        return REASON[0];
    }

    private static MicroKernel choose() {
        String p = System.getProperty("kiln.simd", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        ScalarMicroKernel scalar = new ScalarMicroKernel(8, 48);
        if (p.equals("false") || p.equals("scalar") || p.equals("off")) {
            REASON[0] = scalar.description() + " (forced by -Dkiln.simd=" + p + ")";
            return scalar;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            REASON[0] = scalar.description() + " (the JVM was started without --add-modules jdk.incubator.vector)";
            return scalar;
        }
        try {
            MicroKernel v = VectorKernelFactory.create();
            if (v.nr() < 16 && !p.equals("true")) {
                REASON[0] = scalar.description() + " (vectors of " + v.nr() / 2 + " floats are too narrow to pay off)";
                return scalar;
            }
            REASON[0] = v.description();
            return v;
        } catch (LinkageError | RuntimeException e) {
            REASON[0] = scalar.description() + " (Vector API unavailable: " + e + ")";
            return scalar;
        }
    }

    /** Separate class so that Vector API classes load only when the module is present. */
    private static final class VectorKernelFactory {
        static MicroKernel create() {
            return new VectorMicroKernel();
        }
    }
}
