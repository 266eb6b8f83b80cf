package dev.kiln.runtime.engine;

import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.Quant;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * One model output: the tensor the program produced (float32, or int8/int32 when the model's
 * final Dequantize was removed), its descriptor, and its values as float (dequantized with the
 * descriptor's scales when it is quantized).
 */
public record Output(IoDescriptor descriptor, Tensor raw) {
    public String name() {
        return descriptor.name();
    }

    /** Scales of a quantized output (per tensor or along the descriptor's axis), or null. */
    public Quant quant() {
        return descriptor.quant();
    }

    /** The values as float32: dequantized {@code scale * (q - zeroPoint)} for quantized outputs. */
    public Tensor dequantized() {
        Quant q = descriptor.quant();
        if (q == null) {
            return raw.dtype() == DType.FLOAT ? raw : raw.castTo(DType.FLOAT);
        }
        int[] s = raw.shape();
        int axis = q.axis() < 0 ? -1 : q.axis();
        int inner = 1;
        int channels = axis < 0 ? 1 : s[axis];
        for (int i = axis + 1; axis >= 0 && i < s.length; i++) {
            inner *= s[i];
        }
        Tensor out = Tensor.allocate(DType.FLOAT, s);
        float[] o = out.floats();
        for (int i = 0; i < o.length; i++) {
            int c = axis < 0 ? 0 : (i / inner) % channels;
            long zp = q.zeroPoints() == null ? 0 : q.zeroPoints()[q.zeroPoints().length == 1 ? 0 : c];
            o[i] = (float) (raw.getLong(i) - zp) * q.scale(c);
        }
        return out;
    }
}
