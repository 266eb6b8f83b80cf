package dev.kiln.runtime.ops;

import dev.kiln.runtime.tensor.Tensor;

import java.util.List;

/**
 * Read access to a node's attributes by ONNX name, with the caller's default where the attribute
 * is absent. Implemented by the toolchain's graph attributes and by the attributes stored in a
 * compiled model, so one kernel factory serves both.
 */
public interface AttrView {
    boolean has(String name);

    long getInt(String name, long def);

    float getFloat(String name, float def);

    String getString(String name, String def);

    long[] getInts(String name, long[] def);

    float[] getFloats(String name, float[] def);

    List<String> getStrings(String name, List<String> def);

    /** A tensor-valued attribute, or null when absent. */
    Tensor tensorValue(String name);
}
