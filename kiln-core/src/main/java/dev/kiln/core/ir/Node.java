package dev.kiln.core.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One operator application. Omitted optional inputs and outputs are null entries. */
public final class Node {
    private String name;
    private final String opType;
    private final String domain;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Attributes attrs;
    private final Graph graph;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String docString;

    Node(Graph graph, String name, String opType, String domain, Attributes attrs) {
        this.graph = graph;
        this.name = name;
        this.opType = opType;
        this.domain = domain == null || domain.equals("ai.onnx") ? "" : domain;
        this.attrs = attrs == null ? new Attributes() : attrs;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String opType() {
        return opType;
    }

    /** "" for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    public Graph graph() {
        return graph;
    }

    public Attributes attrs() {
        return attrs;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String s) {
        this.docString = s;
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public int inputCount() {
        return inputs.size();
    }

    /** Input i, or null when omitted or beyond the node's input list. */
    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public Value output(int i) {
        return i < outputs.size() ? outputs.get(i) : null;
    }

    public boolean hasInput(int i) {
        return input(i) != null;
    }

    public void setInput(int i, Value v) {
        while (inputs.size() <= i) {
            inputs.add(null);
        }
        Value old = inputs.get(i);
        if (old != null) {
            old.removeUse(this, i);
        }
        inputs.set(i, v);
        if (v != null) {
            v.addUse(this, i);
        }
    }

    public void addInput(Value v) {
        setInput(inputs.size(), v);
    }

    /** Removes trailing inputs from index i on. */
    public void truncateInputs(int count) {
        while (inputs.size() > count) {
            int i = inputs.size() - 1;
            Value old = inputs.get(i);
            if (old != null) {
                old.removeUse(this, i);
            }
            inputs.remove(i);
        }
    }

    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null) {
                v.removeUse(this, i);
            }
        }
        inputs.clear();
    }

    void addOutputValue(Value v) {
        outputs.add(v);
        if (v != null) {
            v.setProducer(this, outputs.size() - 1);
        }
    }

    /** Every subgraph of this node's attributes (If branches, Loop body...). */
    public List<Graph> subgraphs() {
        return attrs.subgraphs();
    }

    /**
     * Values from enclosing scopes that this node's subgraphs read (recursively): the node depends
     * on them as much as on its explicit inputs.
     */
    public List<Value> implicitInputs() {
        List<Value> out = new ArrayList<>();
        for (Graph g : subgraphs()) {
            g.collectOuterReferences(graph, out);
        }
        return out;
    }

    @Override
    public String toString() {
        return opType + "(" + name + ")";
    }
}
