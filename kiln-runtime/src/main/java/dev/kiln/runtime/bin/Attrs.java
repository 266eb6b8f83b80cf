package dev.kiln.runtime.bin;

import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a compiled instruction, by ONNX name, in the order the node had them. Values
 * are Long (INT), Float (FLOAT), String, long[] (INTS), float[] (FLOATS), List of String
 * (STRINGS) or Tensor (TENSOR).
 */
public final class Attrs implements AttrView {
    private final Map<String, Object> map = new LinkedHashMap<>();

    public Attrs put(String name, Object value) {
        if (!(value instanceof Long || value instanceof Float || value instanceof String || value instanceof long[]
                || value instanceof float[] || value instanceof List || value instanceof Tensor)) {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        }
        map.put(name, value);
        return this;
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(map);
    }

    private <T> T get(String name, Class<T> kind) {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (!kind.isInstance(v)) {
            throw new IllegalArgumentException("attribute '" + name + "' is " + v.getClass().getSimpleName()
                    + ", not " + kind.getSimpleName());
        }
        return kind.cast(v);
    }

    @Override
    public boolean has(String name) {
        return map.containsKey(name);
    }

    @Override
    public long getInt(String name, long def) {
        Long v = get(name, Long.class);
        return v == null ? def : v;
    }

    @Override
    public float getFloat(String name, float def) {
        Float v = get(name, Float.class);
        return v == null ? def : v;
    }

    @Override
    public String getString(String name, String def) {
        String v = get(name, String.class);
        return v == null ? def : v;
    }

    @Override
    public long[] getInts(String name, long[] def) {
        long[] v = get(name, long[].class);
        return v == null ? def : v.clone();
    }

    @Override
    public float[] getFloats(String name, float[] def) {
        float[] v = get(name, float[].class);
        return v == null ? def : v.clone();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name, List<String> def) {
        List<String> v = get(name, List.class);
        return v == null ? def : v;
    }

    @Override
    public Tensor tensorValue(String name) {
        return get(name, Tensor.class);
    }
}
