package dev.kiln.core.ir;

import dev.kiln.core.KilnException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's attributes by name, with typed getters that take the ONNX default. A getter fails with a
 * message naming the attribute when the stored kind is not the one asked for.
 */
public final class Attributes implements dev.kiln.runtime.ops.AttrView {
    private final Map<String, Attribute> map = new LinkedHashMap<>();

    public Attributes copy() {
        Attributes a = new Attributes();
        a.map.putAll(map);
        return a;
    }

    public void put(Attribute a) {
        map.put(a.name(), a);
    }

    public void remove(String name) {
        map.remove(name);
    }

    public boolean has(String name) {
        return map.containsKey(name);
    }

    public Attribute get(String name) {
        return map.get(name);
    }

    public Collection<Attribute> all() {
        return map.values();
    }

    public int size() {
        return map.size();
    }

    private Object value(String name, Attribute.Kind kind) {
        Attribute a = map.get(name);
        if (a == null) {
            return null;
        }
        if (a.kind() != kind) {
            // ONNX producers sometimes write a single value where a list is expected and vice versa.
            if (kind == Attribute.Kind.FLOAT && a.kind() == Attribute.Kind.INT) {
                return (float) (long) (Long) a.value();
            }
            if (kind == Attribute.Kind.INT && a.kind() == Attribute.Kind.INTS && ((long[]) a.value()).length == 1) {
                return ((long[]) a.value())[0];
            }
            if (kind == Attribute.Kind.FLOAT && a.kind() == Attribute.Kind.FLOATS && ((float[]) a.value()).length == 1) {
                return ((float[]) a.value())[0];
            }
            if (kind == Attribute.Kind.INTS && a.kind() == Attribute.Kind.INT) {
                return new long[] {(Long) a.value()};
            }
            if (kind == Attribute.Kind.FLOATS && a.kind() == Attribute.Kind.FLOAT) {
                return new float[] {(Float) a.value()};
            }
            if (kind == Attribute.Kind.FLOATS && a.kind() == Attribute.Kind.INTS) {
                long[] l = (long[]) a.value();
                float[] f = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    f[i] = l[i];
                }
                return f;
            }
            throw new KilnException("attribute '" + name + "' should be " + kind + " but is " + a.kind());
        }
        return a.value();
    }

    public long getInt(String name, long def) {
        Object v = value(name, Attribute.Kind.INT);
        return v == null ? def : (Long) v;
    }

    public float getFloat(String name, float def) {
        Object v = value(name, Attribute.Kind.FLOAT);
        return v == null ? def : (Float) v;
    }

    public String getString(String name, String def) {
        Object v = value(name, Attribute.Kind.STRING);
        return v == null ? def : (String) v;
    }

    /** The list (a copy), or def (not copied) when absent. */
    public long[] getInts(String name, long[] def) {
        Object v = value(name, Attribute.Kind.INTS);
        return v == null ? def : ((long[]) v).clone();
    }

    public float[] getFloats(String name, float[] def) {
        Object v = value(name, Attribute.Kind.FLOATS);
        return v == null ? def : ((float[]) v).clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name, List<String> def) {
        Object v = value(name, Attribute.Kind.STRINGS);
        return v == null ? def : (List<String>) v;
    }

    public ConstTensor getTensor(String name) {
        return (ConstTensor) value(name, Attribute.Kind.TENSOR);
    }

    @Override
    public dev.kiln.runtime.tensor.Tensor tensorValue(String name) {
        ConstTensor t = getTensor(name);
        return t == null ? null : t.tensor();
    }

    public Graph getGraph(String name) {
        return (Graph) value(name, Attribute.Kind.GRAPH);
    }

    @SuppressWarnings("unchecked")
    public List<Graph> getGraphs(String name) {
        Object v = value(name, Attribute.Kind.GRAPHS);
        return v == null ? List.of() : (List<Graph>) v;
    }

    @SuppressWarnings("unchecked")
    public List<ConstTensor> getTensors(String name) {
        Object v = value(name, Attribute.Kind.TENSORS);
        return v == null ? List.of() : (List<ConstTensor>) v;
    }

    /** Every subgraph held by these attributes (GRAPH and GRAPHS). */
    public List<Graph> subgraphs() {
        java.util.ArrayList<Graph> out = new java.util.ArrayList<>();
        for (Attribute a : map.values()) {
            if (a.kind() == Attribute.Kind.GRAPH) {
                out.add((Graph) a.value());
            } else if (a.kind() == Attribute.Kind.GRAPHS) {
                @SuppressWarnings("unchecked")
                List<Graph> gs = (List<Graph>) a.value();
                out.addAll(gs);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return map.values().toString();
    }
}
