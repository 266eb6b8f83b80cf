package dev.kiln.runtime.engine;

import dev.kiln.runtime.tensor.Tensor;

/**
 * Data for one model input: image bytes (NV12, YUV444, RGB, BGR, GRAY, in the descriptor's
 * layout), raw integer bytes (S8/U8 inputs), float32 featuremap values (in the descriptor's
 * layout), or a ready tensor of the program's own input type.
 */
public final class Input {
    final byte[] bytes;
    final float[] floats;
    final Tensor tensor;

    private Input(byte[] bytes, float[] floats, Tensor tensor) {
        this.bytes = bytes;
        this.floats = floats;
        this.tensor = tensor;
    }

    public static Input bytes(byte[] data) {
        return new Input(data, null, null);
    }

    public static Input floats(float[] data) {
        return new Input(null, data, null);
    }

    public static Input tensor(Tensor t) {
        return new Input(null, null, t);
    }
}
