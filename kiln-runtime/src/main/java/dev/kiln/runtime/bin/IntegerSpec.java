package dev.kiln.runtime.bin;

import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.function.IntFunction;

/**
 * {@link IntegerParams} as stored in a compiled model: weights and biases are tensor indices
 * (-1 where input i is not one), everything else is copied.
 */
public record IntegerSpec(float[] inputScales, int[] weights, float[][] weightScales, int[] weightAxes, int[] biases,
                          float[] outputScales, DType[] outputTypes, int[] lo, int[] hi) {
    /** The stored form of {@code p}; {@code index} gives the tensor index of a weight or bias tensor. */
    public static IntegerSpec of(IntegerParams p, int outputs, java.util.function.ToIntFunction<Tensor> index) {
        int n = p.inputCount();
        float[] in = new float[n];
        int[] w = new int[n];
        float[][] ws = new float[n][];
        int[] wa = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            in[i] = p.inputScale(i);
            w[i] = p.weight(i) == null ? -1 : index.applyAsInt(p.weight(i));
            ws[i] = p.weight(i) == null ? null : p.weightScales(i);
            wa[i] = p.weight(i) == null ? 0 : p.weightAxis(i);
            b[i] = p.bias(i) == null ? -1 : index.applyAsInt(p.bias(i));
        }
        float[] os = new float[outputs];
        DType[] ot = new DType[outputs];
        int[] lo = new int[outputs];
        int[] hi = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            os[o] = p.outputScale(o);
            ot[o] = p.outputType(o);
            lo[o] = p.lo(o);
            hi[o] = p.hi(o);
        }
        return new IntegerSpec(in, w, ws, wa, b, os, ot, lo, hi);
    }

    /** The parameters again, with weight and bias tensors looked up by index. */
    public IntegerParams toParams(IntFunction<Tensor> tensor) {
        IntegerParams p = new IntegerParams(inputScales.length, outputScales.length);
        for (int i = 0; i < inputScales.length; i++) {
            if (!Float.isNaN(inputScales[i])) {
                p.setInput(i, inputScales[i]);
            }
            if (weights[i] >= 0) {
                p.setWeight(i, tensor.apply(weights[i]), weightScales[i], weightAxes[i]);
            }
            if (biases[i] >= 0) {
                p.setBias(i, tensor.apply(biases[i]));
            }
        }
        for (int o = 0; o < outputScales.length; o++) {
            if (outputTypes[o] != null) {
                p.setOutput(o, outputScales[o], outputTypes[o], lo[o], hi[o]);
            }
        }
        return p;
    }
}
