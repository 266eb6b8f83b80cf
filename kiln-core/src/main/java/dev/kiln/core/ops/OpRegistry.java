package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Node;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Operators by (domain, op type); one {@code add} line per operator class. */
public final class OpRegistry {
    private static final OpRegistry DEFAULT = new OpRegistry();

    static {
        Ops.registerAll(DEFAULT);
    }

    private final Map<String, Op> ops = new TreeMap<>();
    private final Map<Integer, Op> byOpcode = new HashMap<>();

    public static OpRegistry standard() {
        return DEFAULT;
    }

    private static String key(String domain, String type) {
        String d = domain == null || domain.equals("ai.onnx") ? "" : domain;
        return d + "::" + type;
    }

    public void add(Op op) {
        String k = key(op.domain(), op.type());
        if (ops.containsKey(k)) {
            throw new IllegalStateException("operator " + k + " registered twice");
        }
        Op clash = byOpcode.get(op.opcode());
        if (clash != null) {
            throw new IllegalStateException("opcode " + op.opcode() + " of " + op.type() + " is already used by "
                    + clash.type());
        }
        ops.put(k, op);
        byOpcode.put(op.opcode(), op);
    }

    /** The op, or null when Kiln does not implement it. */
    public Op find(String domain, String type) {
        return ops.get(key(domain, type));
    }

    public Op byOpcode(int opcode) {
        return byOpcode.get(opcode);
    }

    /** The node's op, or an error naming the node, op type, domain and opset. */
    public Op forNode(Node node, int opset) {
        Op op = find(node.domain(), node.opType());
        if (op == null) {
            String domain = node.domain().isEmpty() ? "ai.onnx" : node.domain();
            throw new KilnException("node '" + node.name() + "': operator " + node.opType() + " (domain " + domain
                    + ", opset " + opset + ") is not supported by Kiln");
        }
        if (opset >= 0 && (opset < op.minOpset() || opset > op.maxOpset())) {
            String domain = node.domain().isEmpty() ? "ai.onnx" : node.domain();
            throw new KilnException("node '" + node.name() + "': operator " + node.opType() + " at opset " + opset
                    + " (domain " + domain + ") is not supported; Kiln implements opsets " + op.minOpset()
                    + " to " + op.maxOpset());
        }
        return op;
    }

    public Collection<Op> all() {
        return Collections.unmodifiableCollection(ops.values());
    }
}
