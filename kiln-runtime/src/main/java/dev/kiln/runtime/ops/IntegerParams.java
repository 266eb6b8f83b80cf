package dev.kiln.runtime.ops;

import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * What a node's integer kernel needs to know besides its attributes (SPEC section 8): the scale of
 * each quantized activation input, the int8 weights and int32 biases it reads through
 * DequantizeLinear, and the scale, storage type and clamp range of each quantized output (a fused
 * Relu or Clip narrows the range). All scales are symmetric (zero point 0).
 */
public final class IntegerParams {
    private final float[] inputScales;
    private final Tensor[] weights;
    private final float[][] weightScales;
    private final int[] weightAxes;
    private final Tensor[] biases;
    private final float[] outputScales;
    private final DType[] outputTypes;
    private final int[] lo;
    private final int[] hi;

    /** Parameters for a node with the given numbers of inputs and outputs; everything unset. */
    public IntegerParams(int inputs, int outputs) {
        inputScales = new float[inputs];
        java.util.Arrays.fill(inputScales, Float.NaN);
        weights = new Tensor[inputs];
        weightScales = new float[inputs][];
        weightAxes = new int[inputs];
        biases = new Tensor[inputs];
        outputScales = new float[outputs];
        outputTypes = new DType[outputs];
        lo = new int[outputs];
        hi = new int[outputs];
    }

    public int inputCount() {
        return inputScales.length;
    }

    public void setInput(int i, float scale) {
        inputScales[i] = scale;
    }

    /** Scale of quantized activation input i, or NaN when input i is not one. */
    public float inputScale(int i) {
        return i < inputScales.length ? inputScales[i] : Float.NaN;
    }

    public boolean isQuantizedInput(int i) {
        return !Float.isNaN(inputScale(i));
    }

    public void setWeight(int i, Tensor q, float[] scales, int axis) {
        weights[i] = q;
        weightScales[i] = scales;
        weightAxes[i] = axis;
    }

    /** The int8 weight of input i (read through a per-axis DequantizeLinear), or null. */
    public Tensor weight(int i) {
        return i < weights.length ? weights[i] : null;
    }

    /** One scale per slice along {@link #weightAxis} (or a single scale). */
    public float[] weightScales(int i) {
        return weightScales[i];
    }

    public int weightAxis(int i) {
        return weightAxes[i];
    }

    public void setBias(int i, Tensor q) {
        biases[i] = q;
    }

    /** The int32 bias of input i, or null. */
    public Tensor bias(int i) {
        return i < biases.length ? biases[i] : null;
    }

    public void setOutput(int o, float scale, DType type, int lo, int hi) {
        outputScales[o] = scale;
        outputTypes[o] = type;
        this.lo[o] = lo;
        this.hi[o] = hi;
    }

    public float outputScale(int o) {
        return outputScales[o];
    }

    /** INT8 or INT16. */
    public DType outputType(int o) {
        return outputTypes[o];
    }

    /** Lower clamp of output o in quantized units (the type's minimum unless an activation was fused). */
    public int lo(int o) {
        return lo[o];
    }

    public int hi(int o) {
        return hi[o];
    }
}
