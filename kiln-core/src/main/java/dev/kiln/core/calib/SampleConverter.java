package dev.kiln.core.calib;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns a calibration sample of one input (training colour space and layout, no mean/scale) into
 * what the model's input takes: the intermediate type of SPEC section 4 (int8 = pixel - 128 for
 * image inputs, float32 for feature maps). The pipeline supplies the full conversion (colour
 * spaces, run-time layouts); {@link #defaultFor} covers the element type only.
 */
@FunctionalInterface
public interface SampleConverter {
    Tensor convert(String input, Tensor sample);

    /** Leaves every sample as it is. */
    SampleConverter IDENTITY = (input, sample) -> sample;

    /**
     * Converts each sample to the element type the model declares for that input: int8 inputs take
     * {@code x - 128} (float samples rounded half to even first, then saturated to [-128, 127]);
     * float inputs take the values as they are; other types a plain cast. Inputs the model does
     * not declare, or declares without a type, are left unchanged.
     */
    static SampleConverter defaultFor(Model model) {
        Map<String, DType> types = new HashMap<>();
        for (Value in : model.graph().inputs()) {
            if (in.type() != null && in.type().dtype() != null) {
                types.put(in.name(), in.type().dtype());
            }
        }
        return (input, sample) -> {
            DType want = types.get(input);
            if (want == null || want == sample.dtype() && want != DType.INT8) {
                return sample;
            }
            if (want == DType.INT8) {
                return offsetToInt8(sample);
            }
            if (want == DType.FLOAT) {
                return sample.castTo(DType.FLOAT);
            }
            if (want == DType.UINT8 && sample.dtype().isFloatingPoint()) {
                return roundToUint8(sample);
            }
            return sample.castTo(want);
        };
    }

    /** int8 = pixel - 128, the intermediate type of image inputs (an int8 sample is taken as already offset). */
    static Tensor offsetToInt8(Tensor sample) {
        if (sample.dtype() == DType.INT8) {
            return sample;
        }
        Tensor out = Tensor.allocate(DType.INT8, sample.shape());
        byte[] o = out.bytes();
        if (sample.dtype() == DType.UINT8) {
            byte[] s = sample.bytes();
            for (int i = 0; i < sample.size(); i++) {
                o[i] = (byte) ((s[i] & 0xff) - 128);
            }
        } else {
            for (int i = 0; i < sample.size(); i++) {
                double v = Math.rint(sample.getDouble(i)) - 128;
                o[i] = (byte) Math.max(-128, Math.min(127, v));
            }
        }
        return out;
    }

    private static Tensor roundToUint8(Tensor sample) {
        Tensor out = Tensor.allocate(DType.UINT8, sample.shape());
        byte[] o = out.bytes();
        for (int i = 0; i < sample.size(); i++) {
            double v = Math.rint(sample.getDouble(i));
            o[i] = (byte) (int) Math.max(0, Math.min(255, v));
        }
        return out;
    }
}
