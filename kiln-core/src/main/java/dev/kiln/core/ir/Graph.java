package dev.kiln.core.ir;

import dev.kiln.core.KilnException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dataflow graph: nodes kept in topological order, graph inputs, initializers and outputs. A
 * subgraph (If branch, Loop body) has a parent and may read values of the enclosing scopes.
 */
public final class Graph {
    private String name;
    private final Graph parent;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final LinkedHashMap<String, Value> initializers = new LinkedHashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final NameScope names;
    private String docString;

    /** Unique-name allocation shared by a graph and all its subgraphs. */
    private static final class NameScope {
        final Set<String> used = new HashSet<>();
        final Map<String, Integer> counters = new HashMap<>();
    }

    public Graph(String name) {
        this(name, null);
    }

    private Graph(String name, Graph parent) {
        this.name = name == null ? "" : name;
        this.parent = parent;
        this.names = parent == null ? new NameScope() : parent.names;
    }

    /** A new empty subgraph of this graph. */
    public Graph newSubgraph(String subName) {
        return new Graph(subName, this);
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Graph parent() {
        return parent;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String s) {
        this.docString = s;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public List<Value> initializers() {
        return List.copyOf(initializers.values());
    }

    /** A value defined in this graph's own scope, or null. */
    public Value localValue(String valueName) {
        return values.get(valueName);
    }

    /** A value visible from this graph: its own scope first, then enclosing scopes. */
    public Value lookup(String valueName) {
        for (Graph g = this; g != null; g = g.parent) {
            Value v = g.values.get(valueName);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** True when g is this graph or one of its ancestors. */
    public boolean isWithin(Graph g) {
        for (Graph x = this; x != null; x = x.parent) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /** A name not used anywhere in this graph tree, derived from base. */
    public String uniqueName(String base) {
        String b = base == null || base.isEmpty() ? "v" : base;
        if (!names.used.contains(b)) {
            names.used.add(b);
            return b;
        }
        int k = names.counters.getOrDefault(b, 0);
        String candidate;
        do {
            k++;
            candidate = b + "_" + k;
        } while (names.used.contains(candidate));
        names.counters.put(b, k);
        names.used.add(candidate);
        return candidate;
    }

    private Value define(String valueName, TensorType type) {
        if (values.containsKey(valueName)) {
            throw new KilnException("value '" + valueName + "' is defined twice in graph '" + name + "'");
        }
        names.used.add(valueName);
        Value v = new Value(this, valueName, type);
        values.put(valueName, v);
        return v;
    }

    public Value addInput(String valueName, TensorType type) {
        Value v = define(valueName, type);
        inputs.add(v);
        return v;
    }

    public Value addInitializer(String valueName, ConstTensor c) {
        Value v = define(valueName, c.type());
        v.setConstant(c);
        initializers.put(valueName, v);
        return v;
    }

    /** Adds a constant under a fresh name derived from base. */
    public Value addConstant(String base, ConstTensor c) {
        return addInitializer(uniqueName(base), c);
    }

    /** Replaces the data of an initializer (its type follows the new tensor). */
    public void setInitializer(Value v, ConstTensor c) {
        if (!initializers.containsKey(v.name()) || initializers.get(v.name()) != v) {
            throw new IllegalArgumentException(v.name() + " is not an initializer of " + name);
        }
        v.setConstant(c);
    }

    public void removeInitializer(Value v) {
        if (!v.uses().isEmpty()) {
            throw new IllegalStateException("initializer " + v.name() + " is still used");
        }
        initializers.remove(v.name());
        values.remove(v.name());
        inputs.remove(v);
    }

    public void addOutput(Value v) {
        outputs.add(v);
    }

    public void setOutput(int i, Value v) {
        outputs.set(i, v);
    }

    public void removeOutput(Value v) {
        outputs.remove(v);
    }

    public void clearOutputs() {
        outputs.clear();
    }

    public void removeInput(Value v) {
        if (!v.uses().isEmpty()) {
            throw new IllegalStateException("input " + v.name() + " is still used");
        }
        inputs.remove(v);
        values.remove(v.name());
    }

    /**
     * Appends a node. Inputs must be visible values (or null); outputs are created under the given
     * names (null or "" for omitted optional outputs).
     */
    public Node addNode(String nodeName, String opType, String domain, Attributes attrs,
                        List<Value> nodeInputs, List<String> outputNames) {
        Node n = newNode(nodeName, opType, domain, attrs, nodeInputs, outputNames);
        nodes.add(n);
        return n;
    }

    /** Inserts a new node just before {@code before} in the node order. */
    public Node insertNodeBefore(Node before, String nodeName, String opType, Attributes attrs,
                                 List<Value> nodeInputs, List<String> outputNames) {
        Node n = newNode(nodeName, opType, "", attrs, nodeInputs, outputNames);
        int at = nodes.indexOf(before);
        nodes.add(at < 0 ? nodes.size() : at, n);
        return n;
    }

    private Node newNode(String nodeName, String opType, String domain, Attributes attrs,
                         List<Value> nodeInputs, List<String> outputNames) {
        String nn = nodeName == null || nodeName.isEmpty() ? uniqueName(opType) : nodeName;
        Node n = new Node(this, nn, opType, domain, attrs);
        for (Value v : nodeInputs) {
            n.addInput(v);
        }
        for (String o : outputNames) {
            n.addOutputValue(o == null || o.isEmpty() ? null : define(o, null));
        }
        return n;
    }

    /** Removes a node: detaches its inputs and drops its outputs, which must be unused. */
    public void removeNode(Node n) {
        for (Value o : n.outputs()) {
            if (o != null && (!o.uses().isEmpty() || outputs.contains(o))) {
                throw new IllegalStateException("cannot remove " + n + ": output " + o.name() + " is still used");
            }
        }
        n.detachInputs();
        for (Value o : n.outputs()) {
            if (o != null) {
                values.remove(o.name());
            }
        }
        nodes.remove(n);
    }

    /** Points every use of {@code old} (and graph outputs that are old) at {@code replacement}. */
    public void replaceAllUses(Value old, Value replacement) {
        for (Value.Use u : new ArrayList<>(old.uses())) {
            u.node().setInput(u.index(), replacement);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == old) {
                outputs.set(i, replacement);
            }
        }
    }

    /** Renames a value defined in this graph. */
    public void renameValue(Value v, String newName) {
        if (values.get(v.name()) != v) {
            throw new IllegalArgumentException(v.name() + " is not defined in " + name);
        }
        if (values.containsKey(newName)) {
            throw new KilnException("value '" + newName + "' already exists in graph '" + name + "'");
        }
        values.remove(v.name());
        if (initializers.remove(v.name()) != null) {
            initializers.put(newName, v);
        }
        v.rename(newName);
        values.put(newName, v);
        names.used.add(newName);
    }

    /** Every value defined in this graph's scope. */
    public List<Value> allValues() {
        return new ArrayList<>(values.values());
    }

    /**
     * Reorders nodes topologically (stable: keeps the current order where dependencies allow).
     * Fails naming a node on a cycle or on a use of a value that no node produces.
     */
    public void sortTopologically() {
        Map<Node, Integer> pending = new IdentityHashMap<>();
        Map<Node, List<Node>> dependents = new IdentityHashMap<>();
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i), i);
        }
        for (Node n : nodes) {
            Set<Node> deps = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Value> reads = new ArrayList<>(n.inputs());
            reads.addAll(n.implicitInputs());
            for (Value v : reads) {
                if (v == null) {
                    continue;
                }
                Node p = v.producer();
                if (p != null && p.graph() == this && position.containsKey(p)) {
                    deps.add(p);
                }
            }
            pending.put(n, deps.size());
            for (Node d : deps) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
            }
        }
        java.util.PriorityQueue<Node> ready = new java.util.PriorityQueue<>(
                (a, b) -> Integer.compare(position.get(a), position.get(b)));
        for (Node n : nodes) {
            if (pending.get(n) == 0) {
                ready.add(n);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (Node d : dependents.getOrDefault(n, List.of())) {
                int left = pending.merge(d, -1, Integer::sum);
                if (left == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != nodes.size()) {
            for (Node n : nodes) {
                if (pending.get(n) > 0) {
                    throw new KilnException("graph '" + name + "' has a cycle through node '" + n.name()
                            + "' (" + n.opType() + ")");
                }
            }
        }
        nodes.clear();
        nodes.addAll(order);
    }

    /** Nodes that no graph output depends on (dead code), in order. */
    public List<Node> deadNodes() {
        Set<Node> live = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Value> work = new ArrayDeque<>(outputs);
        while (!work.isEmpty()) {
            Value v = work.pop();
            Node p = v.producer();
            if (p == null || p.graph() != this || !live.add(p)) {
                continue;
            }
            for (Value in : p.inputs()) {
                if (in != null) {
                    work.push(in);
                }
            }
            for (Value in : p.implicitInputs()) {
                work.push(in);
            }
        }
        List<Node> dead = new ArrayList<>();
        for (Node n : nodes) {
            if (!live.contains(n)) {
                dead.add(n);
            }
        }
        return dead;
    }

    /** Adds to out every value read by this graph (or its nested subgraphs) that is defined outside this graph. */
    void collectOuterReferences(Graph outer, List<Value> out) {
        for (Node n : nodes) {
            for (Value v : n.inputs()) {
                if (v != null && !v.owner().isWithin(this) && !out.contains(v)) {
                    out.add(v);
                }
            }
            for (Graph sub : n.subgraphs()) {
                List<Value> inner = new ArrayList<>();
                sub.collectOuterReferences(this, inner);
                for (Value v : inner) {
                    if (!v.owner().isWithin(this) && !out.contains(v)) {
                        out.add(v);
                    }
                }
            }
        }
        for (Value v : outputs) {
            if (v != null && !v.owner().isWithin(this) && !out.contains(v)) {
                out.add(v);
            }
        }
    }

    /** Node by name, or null. */
    public Node findNode(String nodeName) {
        for (Node n : nodes) {
            if (n.name().equals(nodeName)) {
                return n;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Graph(" + name + ", " + nodes.size() + " nodes)";
    }
}
