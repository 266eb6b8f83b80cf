package dev.kiln.runtime.kernels.gemm;

/**
 * Supplies the right-hand GEMM operand B (K x N) in packed panels: for the shared-dimension range
 * [k0, k0+kc) and the column panels p0..p0+np-1 (each NR columns wide), writes panel p's values at
 * {@code dst[(p - p0) * kc * NR + k * NR + j]}, zero beyond column N. Implementations read a plain
 * matrix, a convolution input (im2col on the fly), or pre-packed weights.
 */
public interface BPacker {
    void pack(int k0, int kc, int p0, int np, int nr, float[] dst);
}
