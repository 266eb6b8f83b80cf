package dev.kiln.core.pipeline;

import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.runtime.tensor.DType;

/**
 * The input type of the original float model (and of the optimized, calibrated and quantized
 * models): what the device's input stage makes of {@code input_type_rt}. The {@code _128} types are
 * int8 tensors holding pixel - 128; a featuremap stays float32.
 */
public enum IntermediateType {
    YUV444_128("yuv444_128", 3),
    RGB_128("RGB_128", 3),
    BGR_128("BGR_128", 3),
    GRAY_128("GRAY_128", 1),
    FEATUREMAP("featuremap", -1);

    /** The offset between a pixel (0..255) and its int8 intermediate value. */
    public static final int PIXEL_OFFSET = 128;

    private final String displayName;
    private final int channels;

    IntermediateType(String displayName, int channels) {
        this.displayName = displayName;
        this.channels = channels;
    }

    /** nv12 and yuv444 → yuv444_128, rgb → RGB_128, bgr → BGR_128, gray → GRAY_128, featuremap → featuremap. */
    public static IntermediateType of(InputType rt) {
        switch (rt) {
            case NV12:
            case YUV444:
                return YUV444_128;
            case RGB:
                return RGB_128;
            case BGR:
                return BGR_128;
            case GRAY:
                return GRAY_128;
            default:
                return FEATUREMAP;
        }
    }

    /** The name Horizon's documentation uses (yuv444_128, RGB_128, ...). */
    public String displayName() {
        return displayName;
    }

    /** Channels of an image type; -1 for a featuremap. */
    public int channels() {
        return channels;
    }

    public boolean isImage() {
        return this != FEATUREMAP;
    }

    /** INT8 for images, FLOAT for a featuremap. */
    public DType dtype() {
        return isImage() ? DType.INT8 : DType.FLOAT;
    }
}
