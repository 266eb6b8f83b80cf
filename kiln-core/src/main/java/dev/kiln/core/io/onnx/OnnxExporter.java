package dev.kiln.core.io.onnx;

import com.google.protobuf.ByteString;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.onnx.proto.OnnxIr.AttributeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.GraphProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.ModelProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.NodeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.OperatorSetIdProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.StringStringEntryProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TensorShapeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.TypeProto;
import dev.kiln.core.io.onnx.proto.OnnxIr.ValueInfoProto;
import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes Kiln's IR as a standard .onnx file that ONNX Runtime can run. */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /** Writes the model atomically (a temporary file renamed into place). */
    public static void save(Model model, Path file) {
        ModelProto p = toProto(model);
        long size = p.getSerializedSize();
        if (size >= Integer.MAX_VALUE) {
            throw new KilnException("model " + file + " would be over 2 GB, which one ONNX protobuf cannot hold");
        }
        try {
            AtomicFiles.write(file, p.toByteArray());
        } catch (IOException e) {
            throw new KilnException("cannot write " + file + ": " + e.getMessage());
        }
    }

    public static ModelProto toProto(Model model) {
        ModelProto.Builder b = ModelProto.newBuilder()
                .setIrVersion(irVersionFor(model))
                .setProducerName(model.producerName() == null ? "kiln" : model.producerName())
                .setProducerVersion(model.producerVersion() == null ? "" : model.producerVersion())
                .setModelVersion(model.modelVersion());
        if (model.domain() != null && !model.domain().isEmpty()) {
            b.setDomain(model.domain());
        }
        if (model.docString() != null) {
            b.setDocString(model.docString());
        }
        for (Map.Entry<String, Long> e : model.opsets().entrySet()) {
            b.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        b.setGraph(graphToProto(model.graph()));
        return b.build();
    }

    /** The IR version: the model's own, raised when its opsets need a newer one. */
    private static long irVersionFor(Model model) {
        long opset = model.opset("");
        long needed = opset >= 21 ? 10 : opset >= 19 ? 9 : opset >= 15 ? 8 : opset >= 13 ? 7 : opset >= 11 ? 6
                : opset >= 10 ? 5 : opset >= 9 ? 4 : 3;
        return Math.max(model.irVersion(), needed);
    }

    static GraphProto graphToProto(Graph g) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
        if (g.docString() != null) {
            b.setDocString(g.docString());
        }
        for (Map.Entry<String, String> e : g.metadata().entrySet()) {
            b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        for (Value init : g.initializers()) {
            b.addInitializer(OnnxTensors.toProto(init.constant().tensor(), init.name()));
        }
        for (Value in : g.inputs()) {
            b.addInput(valueInfo(in));
        }
        Set<Value> declared = new HashSet<>(g.inputs());
        declared.addAll(g.initializers());
        List<NodeProto> forwards = new ArrayList<>();
        Set<String> taken = null;
        for (Value out : g.outputs()) {
            if (g.parent() != null && !out.owner().isWithin(g)) {
                // ONNX Runtime rejects a subgraph output that is a value of an enclosing graph; pass it
                // through an Identity under a fresh name instead.
                if (taken == null) {
                    taken = namesInTree(g);
                }
                String name = freshName(taken, out.name() + "_" + g.name());
                forwards.add(NodeProto.newBuilder().setName(name).setOpType("Identity")
                        .addInput(out.name()).addOutput(name).build());
                b.addOutput(valueInfo(out).toBuilder().setName(name));
                continue;
            }
            b.addOutput(valueInfo(out));
            declared.add(out);
        }
        for (Node n : g.nodes()) {
            b.addNode(nodeToProto(n));
            for (Value o : n.outputs()) {
                if (o != null && !declared.contains(o) && o.type().dtype() != null) {
                    b.addValueInfo(valueInfo(o));
                    declared.add(o);
                }
            }
        }
        b.addAllNode(forwards);
        return b.build();
    }

    /** Every value name of the graph tree g belongs to (from its root, through all subgraphs). */
    private static Set<String> namesInTree(Graph g) {
        Graph root = g;
        while (root.parent() != null) {
            root = root.parent();
        }
        Set<String> names = new HashSet<>();
        collectNames(root, names);
        return names;
    }

    private static void collectNames(Graph g, Set<String> names) {
        for (Value v : g.allValues()) {
            names.add(v.name());
        }
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                collectNames(sub, names);
            }
        }
    }

    private static String freshName(Set<String> taken, String base) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) {
            name = base + "_" + k;
        }
        taken.add(name);
        return name;
    }

    static ValueInfoProto valueInfo(Value v) {
        ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
        TensorType t = v.type();
        if (t.dtype() == null) {
            // unknown type: leave it to the reader's inference rather than write an invalid type 0
            return b.build();
        }
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder();
        if (t.dtype() != null) {
            tt.setElemType(t.dtype().onnxCode());
        }
        if (t.hasRank()) {
            TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
            for (Dim d : t.dims()) {
                TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
                if (d.isKnown()) {
                    db.setDimValue(d.value());
                } else if (d.param() != null) {
                    db.setDimParam(d.param());
                }
                sb.addDim(db);
            }
            tt.setShape(sb);
        }
        b.setType(TypeProto.newBuilder().setTensorType(tt));
        return b.build();
    }

    static NodeProto nodeToProto(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType());
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        if (n.docString() != null) {
            b.setDocString(n.docString());
        }
        for (Value in : n.inputs()) {
            b.addInput(in == null ? "" : in.name());
        }
        // ONNX drops trailing omitted inputs; keep the list as short as possible.
        int last = b.getInputCount();
        while (last > 0 && b.getInput(last - 1).isEmpty()) {
            last--;
        }
        if (last < b.getInputCount()) {
            List<String> kept = List.copyOf(b.getInputList().subList(0, last));
            b.clearInput().addAllInput(kept);
        }
        for (Value out : n.outputs()) {
            b.addOutput(out == null ? "" : out.name());
        }
        for (Attribute a : n.attrs().all()) {
            b.addAttribute(attributeToProto(a));
        }
        for (Map.Entry<String, String> e : n.metadata().entrySet()) {
            b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    static AttributeProto attributeToProto(Attribute a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        switch (a.kind()) {
            case FLOAT:
                b.setType(AttributeProto.AttributeType.FLOAT).setF((Float) a.value());
                break;
            case INT:
                b.setType(AttributeProto.AttributeType.INT).setI((Long) a.value());
                break;
            case STRING:
                b.setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFrom(((String) a.value()).getBytes(StandardCharsets.UTF_8)));
                break;
            case TENSOR:
                b.setType(AttributeProto.AttributeType.TENSOR)
                        .setT(OnnxTensors.toProto(((ConstTensor) a.value()).tensor(), null));
                break;
            case GRAPH:
                b.setType(AttributeProto.AttributeType.GRAPH).setG(graphToProto((Graph) a.value()));
                break;
            case FLOATS:
                b.setType(AttributeProto.AttributeType.FLOATS);
                for (float f : (float[]) a.value()) b.addFloats(f);
                break;
            case INTS:
                b.setType(AttributeProto.AttributeType.INTS);
                for (long l : (long[]) a.value()) b.addInts(l);
                break;
            case STRINGS:
                b.setType(AttributeProto.AttributeType.STRINGS);
                for (String s : (List<String>) a.value()) b.addStrings(ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8)));
                break;
            case TENSORS:
                b.setType(AttributeProto.AttributeType.TENSORS);
                for (ConstTensor t : (List<ConstTensor>) a.value()) b.addTensors(OnnxTensors.toProto(t.tensor(), null));
                break;
            case GRAPHS:
                b.setType(AttributeProto.AttributeType.GRAPHS);
                for (Graph g : (List<Graph>) a.value()) b.addGraphs(graphToProto(g));
                break;
            default:
                throw new IllegalStateException("unknown attribute kind " + a.kind());
        }
        return b.build();
    }
}
