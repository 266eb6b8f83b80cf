package dev.kiln.runtime.kernels.gemm;

/**
 * The innermost GEMM step: one MR x NR tile of C from an MR-row panel of packed A and an NR-column
 * panel of packed B over kc steps of the shared dimension.
 *
 * <p>Packed A holds kc groups of MR values (row r of step k at {@code ao + k*MR + r}); packed B holds
 * kc groups of NR values ({@code bo + k*NR + j}). The tile of C starts at {@code co} with row stride
 * {@code ldc}. When {@code accumulate} is false the tile starts from {@code bias[biasOff + r]} (or 0
 * when bias is null); when true it starts from C. When {@code last} is true the results are clamped
 * to [lo, hi] (a fused Relu/Clip; pass -inf/+inf for none).
 */
public interface MicroKernel {
    int mr();

    int nr();

    void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
              boolean accumulate, float[] bias, int biasOff, boolean last, float lo, float hi);

    /** A short description for logs, e.g. "Vector API, 16 float lanes". */
    String description();
}
