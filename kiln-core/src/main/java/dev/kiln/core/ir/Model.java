package dev.kiln.core.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/** A model: the main graph plus the file-level facts ONNX keeps (IR version, opsets, producer, metadata). */
public final class Model {
    /** Default ONNX opset Kiln writes for graphs it builds itself. */
    public static final int DEFAULT_OPSET = 13;

    private final Graph graph;
    private final LinkedHashMap<String, Long> opsets = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
    private long irVersion = 8;
    private String producerName = "kiln";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString;

    public Model(Graph graph) {
        this.graph = graph;
    }

    public Graph graph() {
        return graph;
    }

    /** Operator set versions by domain ("" is the default ONNX domain). */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /** The imported version of a domain's operator set, or -1. */
    public int opset(String opDomain) {
        String d = opDomain == null || opDomain.equals("ai.onnx") ? "" : opDomain;
        Long v = opsets.get(d);
        return v == null ? -1 : v.intValue();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long v) {
        this.irVersion = v;
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String s) {
        this.producerName = s;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String s) {
        this.producerVersion = s;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String s) {
        this.domain = s;
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long v) {
        this.modelVersion = v;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String s) {
        this.docString = s;
    }
}
