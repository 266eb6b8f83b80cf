package dev.kiln.core.testing;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Seeded random inputs for a model's graph inputs (dynamic dims taken as 1). */
public final class ModelInputs {
    private ModelInputs() {
    }

    public static Map<String, Tensor> random(Model m, long seed) {
        return random(m, seed, null);
    }

    /** With {@code dynamic} giving the size of each dynamic dim by position (null: 1). */
    public static Map<String, Tensor> random(Model m, long seed, int[] dynamic) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Value v : m.graph().inputs()) {
            int[] shape = v.type().shapeOrUnknown();
            if (shape == null) {
                throw new IllegalArgumentException("input " + v.name() + " has unknown rank");
            }
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] >= 0 ? shape[i] : dynamic != null && i < dynamic.length ? dynamic[i] : 1;
            }
            DType t = v.type().dtype();
            in.put(v.name(), t == DType.FLOAT || t == null ? TestTensors.normal(seed++, shape)
                    : TestTensors.integers(seed++, t, 0, 3, shape));
        }
        return in;
    }
}
