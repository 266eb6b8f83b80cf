package dev.kiln.runtime.util;

/**
 * Per-thread working arrays that kernels reuse from call to call instead of allocating (and the
 * JVM zeroing) a fresh one each time: a few numbered slots, each growing to the largest size asked
 * of it on this thread. Contents are whatever the last user left: callers write before they read.
 * A slot belongs to one kernel for the duration of a call; kernels that call each other use
 * different slots.
 */
public final class Scratch {
    /** FloatConv's GEMM result before it is compacted or transposed into the output. */
    public static final int CONV_RESULT = 0;
    /** FloatConv's zero-padded, phase-split copy of the input. */
    public static final int CONV_INPUT = 1;
    /** Winograd's phase-split input. */
    public static final int WINOGRAD_INPUT = 2;
    private static final int SLOTS = 3;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {
    }

    /** An array of at least n floats for this thread's slot, contents undefined. */
    public static float[] floats(int slot, int n) {
        float[][] s = FLOATS.get();
        float[] a = s[slot];
        if (a == null || a.length < n) {
            a = new float[Math.max(n, a == null ? 0 : a.length + a.length / 4)];
            s[slot] = a;
        }
        return a;
    }
}
