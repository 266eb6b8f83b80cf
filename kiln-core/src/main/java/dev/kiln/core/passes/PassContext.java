package dev.kiln.core.passes;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ops.Op;
import dev.kiln.core.ops.OpRegistry;

/** What a pass sees besides the graph: the model's opsets, the operator registry and the log. */
public final class PassContext {
    private final Model model;
    private final OpRegistry registry;
    private final PassLog log;
    private String passName = "";

    public PassContext(Model model, OpRegistry registry, PassLog log) {
        this.model = model;
        this.registry = registry;
        this.log = log;
    }

    public Model model() {
        return model;
    }

    public OpRegistry registry() {
        return registry;
    }

    public PassLog log() {
        return log;
    }

    /** The opset of the node's domain (the default ONNX domain falls back to Kiln's default). */
    public int opset(Node n) {
        int v = model.opset(n.domain());
        return v < 0 && n.domain().isEmpty() ? Model.DEFAULT_OPSET : v;
    }

    /** The node's operator, or null when Kiln does not implement it (custom domains). */
    public Op op(Node n) {
        return registry.find(n.domain(), n.opType());
    }

    /** Logs one rewrite (at debug level, after the pass name); the message names the nodes it touched. */
    public void rewrote(String message) {
        log.debug(passName + ": " + message);
    }

    void startPass(String name) {
        this.passName = name;
    }
}
