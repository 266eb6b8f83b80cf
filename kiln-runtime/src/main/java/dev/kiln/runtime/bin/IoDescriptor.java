package dev.kiln.runtime.bin;

/**
 * A model input or output as the application sees it (SPEC section 10).
 *
 * @param name         the tensor's name in the source model
 * @param tensor       the program tensor it binds to
 * @param type         what the application passes or gets: image bytes (NV12, YUV444, RGB, BGR, GRAY),
 *                     or a tensor of S8/U8/S16/S32/F32 elements
 * @param layout       the layout of image data and featuremaps (NONE for NV12 and tensors of other ranks)
 * @param validShape   the data's shape (for NV12: 1 x H x W; its bytes are the Y plane then interleaved UV)
 * @param alignedShape the shape with the row stride padding the buffer carries (equal to validShape here)
 * @param strides      byte strides of alignedShape
 * @param byteSize     bytes of one input or output buffer
 * @param quant        quantization (SCALE) of integer outputs whose dequantization was removed, else null
 * @param toProgram    for inputs: the permutation from {@code layout} to the program tensor's layout, or null
 */
public record IoDescriptor(String name, int tensor, TensorKind type, Layout layout, int[] validShape,
                           int[] alignedShape, long[] strides, long byteSize, Quant quant, int[] toProgram) {
    /** Element or image types of model inputs and outputs. */
    public enum TensorKind {
        NV12, YUV444, RGB, BGR, GRAY, S8, U8, S16, S32, F32;

        public boolean isImage() {
            return ordinal() <= GRAY.ordinal();
        }
    }

    /** Layouts of image data and featuremaps. */
    public enum Layout {
        NCHW, NHWC, NONE
    }

    /** Row-major byte strides of a shape with elements of {@code elementBytes}. */
    public static long[] strides(int[] shape, int elementBytes) {
        long[] s = new long[shape.length];
        long acc = elementBytes;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
