package dev.kiln.core.io.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.ProtoFiles;
import dev.kiln.core.io.onnx.proto.OnnxIr.AttributeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.FunctionProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.GraphProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.ModelProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.NodeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.OperatorSetIdProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.SparseTensorProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.StringStringEntryProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TensorProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TensorShapeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TypeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.ValueInfoProto;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads .onnx files into Kiln's IR. */
public final class OnnxImporter {
    /** protobuf cannot address messages of 2 GB or more. */
    private static final long MAX_PROTO_BYTES = Integer.MAX_VALUE;

    private final Path source;
    private final Path baseDir;
    private final Map<String, FunctionProto> functions = new HashMap<>();
    private int inlineCounter;
    private final Map<NodeProto, Set<String>> outerReads = new IdentityHashMap<>();

    private OnnxImporter(Path source) {
        this.source = source;
        Path abs = source.toAbsolutePath();
        this.baseDir = abs.getParent();
    }

    /** Loads an ONNX model file (external data resolved next to it). */
    public static Model load(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new KilnException("model file " + file + " does not exist");
        } catch (IOException e) {
            throw new KilnException("cannot read model file " + file + ": " + e.getMessage());
        }
        if (Files.isDirectory(file)) {
            throw new KilnException("model file " + file + " is a directory, not an .onnx file");
        }
        if (size >= MAX_PROTO_BYTES) {
            throw new KilnException("model file " + file + " is " + (size >> 20) + " MB; ONNX files of 2 GB or more"
                    + " cannot be read as one protobuf message: save the model with its weights as external data"
                    + " (onnx.save_model(..., save_as_external_data=True))");
        }
        if (size == 0) {
            throw new KilnException("model file " + file + " is empty");
        }
        ModelProto proto;
        try {
            proto = ProtoFiles.read(file, ModelProto.parser());
        } catch (InvalidProtocolBufferException e) {
            throw new KilnException("model file " + file + " is not a valid ONNX model (the protobuf data is damaged"
                    + " or truncated: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new KilnException("cannot read model file " + file + ": " + e.getMessage());
        }
        return new OnnxImporter(file).convert(proto);
    }

    /** Converts an already parsed model (baseDir resolves external data; may be null). */
    public static Model fromProto(ModelProto proto, Path source) {
        return new OnnxImporter(source == null ? Path.of("model.onnx") : source).convert(proto);
    }

    private Model convert(ModelProto p) {
        if (!p.hasGraph() || (p.getGraph().getNodeCount() == 0 && p.getGraph().getOutputCount() == 0)) {
            throw new KilnException("model file " + source + " is not a valid ONNX model (it holds no graph)");
        }
        if (p.getIrVersion() <= 0 || p.getIrVersion() > 100) {
            throw new KilnException("model file " + source + " is not a valid ONNX model (ir_version "
                    + p.getIrVersion() + ")");
        }
        for (FunctionProto f : p.getFunctionsList()) {
            functions.put(f.getDomain() + "::" + f.getName(), f);
        }
        Graph g = new Graph(p.getGraph().getName());
        Model m = new Model(g);
        for (OperatorSetIdProto op : p.getOpsetImportList()) {
            String d = op.getDomain().equals("ai.onnx") ? "" : op.getDomain();
            m.opsets().put(d, op.getVersion());
        }
        if (!m.opsets().containsKey("")) {
            m.opsets().put("", 1L);
        }
        m.setIrVersion(p.getIrVersion());
        m.setProducerName(p.getProducerName());
        m.setProducerVersion(p.getProducerVersion());
        m.setDomain(p.getDomain());
        m.setModelVersion(p.getModelVersion());
        if (p.hasDocString()) {
            m.setDocString(p.getDocString());
        }
        for (StringStringEntryProto e : p.getMetadataPropsList()) {
            m.metadata().put(e.getKey(), e.getValue());
        }
        convertGraph(p.getGraph(), g);
        return m;
    }

    private String where(Graph g) {
        return "model " + source + (g.parent() == null ? "" : ", subgraph '" + g.name() + "'");
    }

    private void convertGraph(GraphProto gp, Graph g) {
        if (gp.hasDocString()) {
            g.setDocString(gp.getDocString());
        }
        for (StringStringEntryProto e : gp.getMetadataPropsList()) {
            g.metadata().put(e.getKey(), e.getValue());
        }
        Set<String> initNames = new HashSet<>();
        for (TensorProto t : gp.getInitializerList()) {
            Tensor tensor = OnnxTensors.fromProto(t, baseDir, where(g) + ", initializer '" + t.getName() + "'");
            g.addInitializer(t.getName(), new ConstTensor(tensor));
            initNames.add(t.getName());
        }
        for (SparseTensorProto s : gp.getSparseInitializerList()) {
            String name = s.getValues().getName();
            g.addInitializer(name, new ConstTensor(densify(s, where(g) + ", sparse initializer '" + name + "'")));
            initNames.add(name);
        }
        for (ValueInfoProto vi : gp.getInputList()) {
            if (initNames.contains(vi.getName())) {
                continue; // an input with a default value: Kiln treats it as the constant it holds
            }
            if (g.localValue(vi.getName()) != null) {
                throw new KilnException(where(g) + ": input '" + vi.getName() + "' is declared twice");
            }
            g.addInput(vi.getName(), typeOf(vi, g, "input"));
        }
        List<NodeProto> nodes = expandFunctions(gp.getNodeList(), 0);
        convertNodes(nodes, g);
        for (ValueInfoProto vi : gp.getValueInfoList()) {
            Value v = g.localValue(vi.getName());
            if (v != null && vi.getType().hasTensorType() && !v.isConstant()) {
                v.setType(typeOf(vi, g, "value"));
            }
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            Value v = g.lookup(vi.getName());
            if (v == null) {
                throw new KilnException(where(g) + ": output '" + vi.getName()
                        + "' is not produced by any node, input or initializer");
            }
            if (vi.hasType() && vi.getType().hasTensorType() && !v.isConstant()
                    && (v.type().dtype() == null || !v.type().hasRank())) {
                v.setType(typeOf(vi, g, "output"));
            }
            g.addOutput(v);
        }
    }

    private void convertNodes(List<NodeProto> nodes, Graph g) {
        Set<String> nodeNames = new HashSet<>();
        List<NodeProto> pending = new ArrayList<>(nodes);
        while (!pending.isEmpty()) {
            List<NodeProto> deferred = new ArrayList<>();
            for (NodeProto np : pending) {
                if (!inputsDefined(np, g)) {
                    deferred.add(np);
                    continue;
                }
                convertNode(np, g, nodeNames);
            }
            if (deferred.size() == pending.size()) {
                NodeProto np = deferred.get(0);
                for (String in : np.getInputList()) {
                    if (!in.isEmpty() && g.lookup(in) == null) {
                        throw new KilnException(where(g) + ": node '" + np.getName() + "' (" + np.getOpType()
                                + ") reads '" + in + "', which no node, input or initializer defines");
                    }
                }
                for (String in : subgraphReads(np)) {
                    if (g.lookup(in) == null) {
                        throw new KilnException(where(g) + ": a subgraph of node '" + np.getName() + "' ("
                                + np.getOpType() + ") reads '" + in + "', which no node, input or initializer defines");
                    }
                }
                throw new KilnException(where(g) + ": node '" + np.getName() + "' is part of a cycle");
            }
            pending = deferred;
        }
    }

    /** True when every value the node reads, directly or from its subgraphs, is already defined. */
    private boolean inputsDefined(NodeProto np, Graph g) {
        for (String in : np.getInputList()) {
            if (!in.isEmpty() && g.lookup(in) == null) {
                return false;
            }
        }
        for (String in : subgraphReads(np)) {
            if (g.lookup(in) == null) {
                return false;
            }
        }
        return true;
    }

    /** Values of enclosing scopes that the node's subgraph attributes read (cached per node). */
    private Set<String> subgraphReads(NodeProto np) {
        Set<String> cached = outerReads.get(np);
        if (cached == null) {
            cached = new LinkedHashSet<>();
            for (AttributeProto a : np.getAttributeList()) {
                if (a.hasG()) {
                    cached.addAll(outerReads(a.getG()));
                }
                for (GraphProto sg : a.getGraphsList()) {
                    cached.addAll(outerReads(sg));
                }
            }
            outerReads.put(np, cached);
        }
        return cached;
    }

    /** Names a graph (or its nested subgraphs) reads without defining them. */
    private static Set<String> outerReads(GraphProto gp) {
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto vi : gp.getInputList()) {
            defined.add(vi.getName());
        }
        for (TensorProto t : gp.getInitializerList()) {
            defined.add(t.getName());
        }
        for (SparseTensorProto t : gp.getSparseInitializerList()) {
            defined.add(t.getValues().getName());
        }
        for (NodeProto n : gp.getNodeList()) {
            defined.addAll(n.getOutputList());
        }
        Set<String> reads = new LinkedHashSet<>();
        for (NodeProto n : gp.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    reads.add(in);
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                List<GraphProto> subs = new ArrayList<>(a.getGraphsList());
                if (a.hasG()) {
                    subs.add(a.getG());
                }
                for (GraphProto sg : subs) {
                    for (String in : outerReads(sg)) {
                        if (!defined.contains(in)) {
                            reads.add(in);
                        }
                    }
                }
            }
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            if (!defined.contains(vi.getName())) {
                reads.add(vi.getName());
            }
        }
        return reads;
    }

    private void convertNode(NodeProto np, Graph g, Set<String> nodeNames) {
        String name = np.getName();
        if (name.isEmpty() || nodeNames.contains(name)) {
            String base = name.isEmpty() ? np.getOpType() + "_" + (np.getOutputCount() > 0 ? np.getOutput(0) : "") : name;
            name = base;
            for (int k = 1; nodeNames.contains(name); k++) {
                name = base + "_" + k;
            }
        }
        nodeNames.add(name);
        List<Value> ins = new ArrayList<>();
        for (String in : np.getInputList()) {
            ins.add(in.isEmpty() ? null : g.lookup(in));
        }
        Attributes attrs = new Attributes();
        // Subgraph attributes need the node's graph as parent; convert them against g.
        for (AttributeProto a : np.getAttributeList()) {
            Attribute converted = convertAttribute(a, g, name);
            if (converted != null) {
                attrs.put(converted);
            }
        }
        for (String out : np.getOutputList()) {
            if (!out.isEmpty() && g.localValue(out) != null) {
                throw new KilnException(where(g) + ": value '" + out + "' is produced twice (second time by node '"
                        + name + "')");
            }
        }
        Node n = g.addNode(name, np.getOpType(), np.getDomain(), attrs, ins, np.getOutputList());
        if (np.hasDocString()) {
            n.setDocString(np.getDocString());
        }
        for (StringStringEntryProto e : np.getMetadataPropsList()) {
            n.metadata().put(e.getKey(), e.getValue());
        }
    }

    private Attribute convertAttribute(AttributeProto a, Graph g, String nodeName) {
        String name = a.getName();
        String what = where(g) + ", node '" + nodeName + "', attribute '" + name + "'";
        AttributeProto.AttributeType type = a.hasType() ? a.getType() : guessType(a);
        switch (type) {
            case FLOAT: return Attribute.of(name, a.getF());
            case INT: return Attribute.of(name, a.getI());
            case STRING: return Attribute.of(name, a.getS().toString(StandardCharsets.UTF_8));
            case TENSOR: return Attribute.of(name, new ConstTensor(OnnxTensors.fromProto(a.getT(), baseDir, what)));
            case SPARSE_TENSOR: return Attribute.of(name, new ConstTensor(densify(a.getSparseTensor(), what)));
            case GRAPH: return Attribute.of(name, subgraph(a.getG(), g));
            case FLOATS: {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                return Attribute.of(name, f);
            }
            case INTS: {
                long[] l = new long[a.getIntsCount()];
                for (int i = 0; i < l.length; i++) l[i] = a.getInts(i);
                return Attribute.of(name, l);
            }
            case STRINGS: {
                List<String> s = new ArrayList<>();
                for (var b : a.getStringsList()) s.add(b.toString(StandardCharsets.UTF_8));
                return Attribute.strings(name, s);
            }
            case TENSORS: {
                List<ConstTensor> ts = new ArrayList<>();
                for (TensorProto t : a.getTensorsList()) ts.add(new ConstTensor(OnnxTensors.fromProto(t, baseDir, what)));
                return Attribute.tensors(name, ts);
            }
            case GRAPHS: {
                List<Graph> gs = new ArrayList<>();
                for (GraphProto sg : a.getGraphsList()) gs.add(subgraph(sg, g));
                return Attribute.graphs(name, gs);
            }
            case UNDEFINED:
                return null;
            default:
                // TYPE_PROTO(S) and SPARSE_TENSORS only appear with operators Kiln does not run.
                return null;
        }
    }

    private static AttributeProto.AttributeType guessType(AttributeProto a) {
        if (a.hasF()) return AttributeProto.AttributeType.FLOAT;
        if (a.hasI()) return AttributeProto.AttributeType.INT;
        if (a.hasS()) return AttributeProto.AttributeType.STRING;
        if (a.hasT()) return AttributeProto.AttributeType.TENSOR;
        if (a.hasG()) return AttributeProto.AttributeType.GRAPH;
        if (a.getFloatsCount() > 0) return AttributeProto.AttributeType.FLOATS;
        if (a.getIntsCount() > 0) return AttributeProto.AttributeType.INTS;
        if (a.getStringsCount() > 0) return AttributeProto.AttributeType.STRINGS;
        if (a.getTensorsCount() > 0) return AttributeProto.AttributeType.TENSORS;
        if (a.getGraphsCount() > 0) return AttributeProto.AttributeType.GRAPHS;
        return AttributeProto.AttributeType.UNDEFINED;
    }

    private Graph subgraph(GraphProto gp, Graph parent) {
        Graph sub = parent.newSubgraph(gp.getName());
        convertGraph(gp, sub);
        return sub;
    }

    private TensorType typeOf(ValueInfoProto vi, Graph g, String role) {
        if (!vi.hasType()) {
            return TensorType.unknown();
        }
        TypeProto tp = vi.getType();
        if (!tp.hasTensorType()) {
            String kind = tp.hasSequenceType() ? "a sequence" : tp.hasMapType() ? "a map"
                    : tp.hasOptionalType() ? "an optional" : tp.hasSparseTensorType() ? "a sparse tensor" : "a non-tensor";
            throw new KilnException(where(g) + ": " + role + " '" + vi.getName() + "' is " + kind
                    + " value; Kiln supports tensors only");
        }
        TypeProto.Tensor tt = tp.getTensorType();
        DType dtype = null;
        if (tt.hasElemType() && tt.getElemType() != 0) {
            dtype = DType.fromOnnx(tt.getElemType());
            if (dtype == null || dtype == DType.STRING) {
                throw new KilnException(where(g) + ": " + role + " '" + vi.getName() + "' has element type "
                        + DType.onnxName(tt.getElemType()) + ", which Kiln does not support");
            }
        }
        if (!tt.hasShape()) {
            return TensorType.unranked(dtype);
        }
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims.add(Dim.symbol(d.getDimParam()));
            } else {
                dims.add(Dim.UNKNOWN);
            }
        }
        return TensorType.of(dtype, dims);
    }

    private Tensor densify(SparseTensorProto s, String what) {
        Tensor values = OnnxTensors.fromProto(s.getValues(), baseDir, what + " values");
        Tensor indices = OnnxTensors.fromProto(s.getIndices(), baseDir, what + " indices");
        int[] shape = new int[s.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) s.getDims(i);
        }
        Tensor dense = Tensor.allocate(values.dtype(), shape);
        int nnz = values.size();
        int rank = shape.length;
        int[] strides = dev.kiln.runtime.tensor.Shapes.strides(shape);
        for (int k = 0; k < nnz; k++) {
            long flat;
            if (indices.rank() == 1) {
                flat = indices.getLong(k);
            } else {
                flat = 0;
                for (int d = 0; d < rank; d++) {
                    flat += indices.getLong(k * rank + d) * strides[d];
                }
            }
            if (flat < 0 || flat >= dense.size()) {
                throw new KilnException(what + ": index " + flat + " is out of range");
            }
            dense.setDouble((int) flat, values.getDouble(k));
        }
        return dense;
    }

    /** Replaces calls to model-local functions by the function bodies (recursively). */
    private List<NodeProto> expandFunctions(List<NodeProto> nodes, int depth) {
        if (functions.isEmpty()) {
            return nodes;
        }
        if (depth > 32) {
            throw new KilnException("model " + source + ": model-local functions nest more than 32 deep");
        }
        List<NodeProto> out = new ArrayList<>();
        for (NodeProto n : nodes) {
            FunctionProto f = functions.get(n.getDomain() + "::" + n.getOpType());
            if (f == null) {
                out.add(n);
                continue;
            }
            out.addAll(expandFunctions(inline(n, f), depth + 1));
        }
        return out;
    }

    private List<NodeProto> inline(NodeProto call, FunctionProto f) {
        String prefix = (call.getName().isEmpty() ? f.getName() : call.getName()) + "/" + (inlineCounter++) + "/";
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) {
            rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        }
        for (int i = 0; i < f.getOutputCount(); i++) {
            rename.put(f.getOutput(i), i < call.getOutputCount() ? call.getOutput(i) : "");
        }
        Map<String, AttributeProto> actual = new HashMap<>();
        for (AttributeProto a : f.getAttributeProtoList()) {
            actual.put(a.getName(), a);
        }
        for (AttributeProto a : call.getAttributeList()) {
            actual.put(a.getName(), a);
        }
        List<NodeProto> body = new ArrayList<>();
        for (NodeProto fn : f.getNodeList()) {
            NodeProto.Builder b = fn.toBuilder().clearInput().clearOutput().clearAttribute();
            b.setName(prefix + fn.getName());
            for (String in : fn.getInputList()) {
                b.addInput(in.isEmpty() ? "" : rename.getOrDefault(in, prefix + in));
            }
            for (String o : fn.getOutputList()) {
                b.addOutput(o.isEmpty() ? "" : rename.getOrDefault(o, prefix + o));
            }
            for (AttributeProto a : fn.getAttributeList()) {
                if (!a.getRefAttrName().isEmpty()) {
                    AttributeProto ref = actual.get(a.getRefAttrName());
                    if (ref != null) {
                        b.addAttribute(ref.toBuilder().setName(a.getName()).build());
                    }
                } else {
                    b.addAttribute(a);
                }
            }
            body.add(b.build());
        }
        return body;
    }
}
