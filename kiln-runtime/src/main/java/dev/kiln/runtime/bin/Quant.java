package dev.kiln.runtime.bin;

/**
 * Quantization of a tensor (SPEC section 8): {@code real = scale * (q - zeroPoint)}, one scale per
 * slice along {@code axis} or a single one ({@code axis} -1). A tensor without quantization has
 * none (type NONE in descriptors).
 */
public record Quant(float[] scales, long[] zeroPoints, int axis) {
    public static Quant perTensor(float scale) {
        return new Quant(new float[] {scale}, new long[] {0}, -1);
    }

    public float scale(int channel) {
        return scales.length == 1 ? scales[0] : scales[channel];
    }
}
