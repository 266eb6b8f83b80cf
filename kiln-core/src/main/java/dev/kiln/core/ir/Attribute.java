package dev.kiln.core.ir;

import java.util.Arrays;
import java.util.List;

/**
 * A typed node attribute. Values: FLOAT Float, INT Long, STRING String, TENSOR ConstTensor, GRAPH
 * Graph, FLOATS float[], INTS long[], STRINGS List&lt;String&gt;, TENSORS List&lt;ConstTensor&gt;,
 * GRAPHS List&lt;Graph&gt;.
 */
public final class Attribute {
    /** Attribute kinds, numbered as ONNX's AttributeType. */
    public enum Kind {
        FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9), GRAPHS(10);

        private final int onnxCode;

        Kind(int onnxCode) {
            this.onnxCode = onnxCode;
        }

        public int onnxCode() {
            return onnxCode;
        }
    }

    private final String name;
    private final Kind kind;
    private final Object value;

    private Attribute(String name, Kind kind, Object value) {
        this.name = name;
        this.kind = kind;
        this.value = value;
    }

    public static Attribute of(String name, float v) {
        return new Attribute(name, Kind.FLOAT, v);
    }

    public static Attribute of(String name, long v) {
        return new Attribute(name, Kind.INT, v);
    }

    public static Attribute of(String name, String v) {
        return new Attribute(name, Kind.STRING, v);
    }

    public static Attribute of(String name, ConstTensor v) {
        return new Attribute(name, Kind.TENSOR, v);
    }

    public static Attribute of(String name, Graph v) {
        return new Attribute(name, Kind.GRAPH, v);
    }

    public static Attribute of(String name, float[] v) {
        return new Attribute(name, Kind.FLOATS, v.clone());
    }

    public static Attribute of(String name, long[] v) {
        return new Attribute(name, Kind.INTS, v.clone());
    }

    public static Attribute strings(String name, List<String> v) {
        return new Attribute(name, Kind.STRINGS, List.copyOf(v));
    }

    public static Attribute tensors(String name, List<ConstTensor> v) {
        return new Attribute(name, Kind.TENSORS, List.copyOf(v));
    }

    public static Attribute graphs(String name, List<Graph> v) {
        return new Attribute(name, Kind.GRAPHS, List.copyOf(v));
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public Object value() {
        return value;
    }

    @Override
    public String toString() {
        String v;
        switch (kind) {
            case FLOATS: v = Arrays.toString((float[]) value); break;
            case INTS: v = Arrays.toString((long[]) value); break;
            case GRAPH: v = "<graph " + ((Graph) value).name() + ">"; break;
            default: v = String.valueOf(value);
        }
        return name + "=" + v;
    }
}
