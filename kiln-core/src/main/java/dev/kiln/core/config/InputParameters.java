package dev.kiln.core.config;

import java.util.List;

/** The input_parameters group: one {@link InputSpec} per input, in input_name order. */
public record InputParameters(List<InputSpec> inputs) {
    /** Image or tensor kinds of input_type_train / input_type_rt. */
    public enum InputType {
        NV12("nv12"), YUV444("yuv444"), RGB("rgb"), BGR("bgr"), GRAY("gray"), FEATUREMAP("featuremap");

        private final String key;

        InputType(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** Channels of the training-side image (featuremap: not an image, -1). */
        public int channels() {
            switch (this) {
                case GRAY: return 1;
                case FEATUREMAP: return -1;
                default: return 3;
            }
        }
    }

    public enum Layout {
        NCHW, NHWC
    }

    /** input_space_and_range (nv12 only): full range, or BT.601 video range (Y in [16, 235]). */
    public enum ColorRange {
        REGULAR, BT601_VIDEO
    }

    public enum NormType {
        DATA_MEAN_AND_SCALE, DATA_MEAN, DATA_SCALE, NO_PREPROCESS
    }

    /**
     * One input.
     *
     * @param name       input name ("" when input_name was empty: the model's only input)
     * @param layoutTrain training layout (null for a featuremap input given without one)
     * @param layoutRt   run-time layout (null for nv12, where it does not apply; when not given: NHWC for
     *                   rgb/bgr/yuv444, NCHW for gray, the training layout for featuremap)
     * @param shape      input_shape, or null to take the model's
     * @param batch      input_batch (1 when not given)
     * @param mean       mean_value per channel (one value repeated), or null
     * @param scale      scale_value per channel, or null
     */
    public record InputSpec(String name, InputType typeTrain, Layout layoutTrain, InputType typeRt, Layout layoutRt,
                            ColorRange colorRange, int[] shape, int batch, NormType normType, float[] mean,
                            float[] scale) {
    }
}
