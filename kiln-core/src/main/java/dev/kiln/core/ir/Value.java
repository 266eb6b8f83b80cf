package dev.kiln.core.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A named tensor in a graph: a graph input, an initializer (constant), or a node output. Knows its
 * type, its producer and every use, so passes can rewrite without scanning the graph.
 */
public final class Value {
    /** A use of a value: input {@code index} of {@code node}. */
    public record Use(Node node, int index) {
    }

    private String name;
    private TensorType type;
    private Node producer;
    private int producerIndex = -1;
    private ConstTensor constant;
    private final Graph owner;
    private final List<Use> uses = new ArrayList<>();

    Value(Graph owner, String name, TensorType type) {
        this.owner = owner;
        this.name = name;
        this.type = type == null ? TensorType.unknown() : type;
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    public TensorType type() {
        return type;
    }

    public void setType(TensorType type) {
        this.type = type == null ? TensorType.unknown() : type;
    }

    /** The graph whose scope defines this value. */
    public Graph owner() {
        return owner;
    }

    /** The node computing this value, or null for graph inputs and initializers. */
    public Node producer() {
        return producer;
    }

    public int producerIndex() {
        return producerIndex;
    }

    void setProducer(Node node, int index) {
        this.producer = node;
        this.producerIndex = index;
    }

    /** The constant value of an initializer, else null. */
    public ConstTensor constant() {
        return constant;
    }

    public boolean isConstant() {
        return constant != null;
    }

    void setConstant(ConstTensor c) {
        this.constant = c;
        if (c != null) {
            this.type = c.type();
        }
    }

    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    void addUse(Node n, int index) {
        uses.add(new Use(n, index));
    }

    void removeUse(Node n, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Use u = uses.get(i);
            if (u.node() == n && u.index() == index) {
                uses.remove(i);
                return;
            }
        }
    }

    public boolean isGraphInput() {
        return owner.inputs().contains(this);
    }

    public boolean isGraphOutput() {
        return owner.outputs().contains(this);
    }

    /** Nodes that read this value, each once. */
    public List<Node> consumers() {
        List<Node> out = new ArrayList<>();
        for (Use u : uses) {
            if (!out.contains(u.node())) {
                out.add(u.node());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
