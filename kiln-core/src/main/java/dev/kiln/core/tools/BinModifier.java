package dev.kiln.core.tools;

import dev.kiln.core.KilnException;
import dev.kiln.core.compile.IoDescriptors;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.DeletedNode;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.NodeCost;
import dev.kiln.runtime.bin.Quant;
import dev.kiln.runtime.bin.SubgraphInfo;
import dev.kiln.runtime.bin.TensorInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code kiln modify}: removes nodes at a compiled model's head or tail so the application does
 * their work itself (hb_model_modifier). A head node reads a featuremap input that nothing else
 * reads; a tail node writes a model output that nothing else reads. Removable types: QuantizeLinear,
 * DequantizeLinear, Transpose, Cast, Reshape and (at the tail) Softmax. The model's input or output
 * keeps its name and now describes the tensor on the other side of the removed node; removing a
 * tail DequantizeLinear leaves an int8/int32 output with its scales (quantization type SCALE).
 * Every removal is recorded in the model's deleted-node list.
 */
public final class BinModifier {
    /** Op types that may be removed at the head. */
    public static final Set<String> HEAD_TYPES = Set.of("QuantizeLinear", "DequantizeLinear", "Transpose", "Cast",
            "Reshape");
    /** Op types that may be removed at the tail. */
    public static final Set<String> TAIL_TYPES = Set.of("QuantizeLinear", "DequantizeLinear", "Transpose", "Cast",
            "Reshape", "Softmax");

    /** A removable node: its instruction, whether it is at the head, and the input or output it sits on. */
    public record Candidate(int instruction, String name, String opType, boolean head, String io) {
        public String describe() {
            return String.format(Locale.ROOT, "%-40s %-16s %-5s %s %s", name, opType, head ? "head" : "tail",
                    head ? "input" : "output", io);
        }
    }

    private BinModifier() {
    }

    /** The nodes that can be removed now. */
    public static List<Candidate> candidates(CompiledModel m) {
        List<Candidate> out = new ArrayList<>();
        List<Instruction> ins = m.instructions();
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            IoDescriptor head = headInput(m, i);
            if (head != null && HEAD_TYPES.contains(in.opType())) {
                out.add(new Candidate(i, in.name(), in.opType(), true, head.name()));
            }
            IoDescriptor tail = tailOutput(m, i);
            if (tail != null && TAIL_TYPES.contains(in.opType())) {
                out.add(new Candidate(i, in.name(), in.opType(), false, tail.name()));
            }
        }
        return out;
    }

    /**
     * Removes the named nodes and every node of the given types at the head or tail, repeatedly
     * (removing a tail Dequantize may expose a Transpose behind it only when asked by name or type).
     */
    public static CompiledModel remove(CompiledModel m, Collection<String> names, Collection<String> types) {
        return remove(m, names, types, "-r", "-a");
    }

    /** As {@link #remove(CompiledModel, Collection, Collection)}, naming the options or keys in errors. */
    public static CompiledModel remove(CompiledModel m, Collection<String> names, Collection<String> types, String nameKey,
                                       String typeKey) {
        List<String> opTypes = new ArrayList<>();
        for (String t : types) {
            // the configuration's spelling (remove_node_type: Quantize, Dequantize) names the ONNX ops
            opTypes.add(t.equals("Quantize") || t.equals("Dequantize") ? t + "Linear" : t);
        }
        types = opTypes;
        for (String t : types) {
            if (!TAIL_TYPES.contains(t)) {
                throw new KilnException(typeKey + " " + t + ": only " + new java.util.TreeSet<>(TAIL_TYPES)
                        + " nodes can be removed");
            }
        }
        List<String> pending = new ArrayList<>(names);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Candidate c : candidates(m)) {
                boolean byName = pending.remove(c.name());
                if (byName || types.contains(c.opType())) {
                    m = removeOne(m, c);
                    changed = true;
                    break;
                }
            }
        }
        if (!pending.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Candidate c : candidates(m)) {
                sb.append("\n  ").append(c.describe());
            }
            throw new KilnException(nameKey + " " + pending.get(0) + ": no removable node of that name at the head or tail of model '"
                    + m.name() + "'; removable now:" + (sb.length() == 0 ? " none" : sb.toString()));
        }
        return m;
    }

    private static CompiledModel removeOne(CompiledModel m, Candidate c) {
        Instruction in = m.instructions().get(c.instruction());
        List<IoDescriptor> inputs = new ArrayList<>(m.inputs());
        List<IoDescriptor> outputs = new ArrayList<>(m.outputs());
        String detail;
        if (c.head()) {
            int idx = indexOf(inputs, c.io());
            int t = in.outputs()[0];
            TensorInfo ti = m.tensors().get(t);
            Quant q = in.opType().equals("QuantizeLinear") ? quantOf(m, in, ti) : null;
            inputs.set(idx, renamed(IoDescriptors.plain(t, ti, q), c.io()));
            detail = "the input is now " + BinInputs.describe(inputs.get(idx))
                    + (q == null ? "" : ", quantized by the application with " + scales(q));
        } else {
            int idx = indexOf(outputs, c.io());
            int t = dataInput(m, in);
            TensorInfo ti = m.tensors().get(t);
            Quant q = in.opType().equals("DequantizeLinear") ? quantOf(m, in, ti)
                    : ti.dtype().isFloatingPoint() ? null : ti.quant();
            outputs.set(idx, renamed(IoDescriptors.plain(t, ti, q), c.io()));
            detail = "the output is now " + BinInputs.describe(outputs.get(idx))
                    + (q == null ? "" : ", dequantize with " + scales(q));
        }
        List<Instruction> ins = new ArrayList<>(m.instructions());
        ins.remove(c.instruction());
        List<SubgraphInfo> subs = new ArrayList<>();
        for (SubgraphInfo s : m.subgraphs()) {
            int[] members = java.util.Arrays.stream(s.instructions()).filter(i -> i != c.instruction())
                    .map(i -> i > c.instruction() ? i - 1 : i).toArray();
            subs.add(new SubgraphInfo(s.id(), members, s.macs(), s.weightBytes(), s.arenaBytes(), s.estimatedMicros()));
        }
        List<NodeCost> profile = null;
        if (m.profile() != null) {
            profile = new ArrayList<>(m.profile());
            profile.removeIf(p -> p.instruction().equals(in.name()));
        }
        List<DeletedNode> deleted = new ArrayList<>(m.deleted());
        deleted.add(new DeletedNode(in.name(), in.opType(), c.io(), detail));
        return new CompiledModel(m.name(), m.config(), m.build(), m.tensors(), ins, inputs, outputs, subs, m.plan(),
                deleted, profile, m.dumpMap());
    }

    private static IoDescriptor renamed(IoDescriptor d, String name) {
        return new IoDescriptor(name, d.tensor(), d.type(), d.layout(), d.validShape(), d.alignedShape(), d.strides(),
                d.byteSize(), d.quant(), d.toProgram());
    }

    /** The scales of a Quantize/Dequantize instruction: from its tensor, else its constant scale/zero-point inputs. */
    private static Quant quantOf(CompiledModel m, Instruction in, TensorInfo intSide) {
        int[] ii = in.inputs();
        TensorInfo scale = ii.length > 1 && ii[1] >= 0 ? m.tensors().get(ii[1]) : null;
        if (scale == null || scale.value() == null) {
            return intSide.quant();
        }
        float[] s = scale.value().castTo(dev.kiln.runtime.tensor.DType.FLOAT).floats().clone();
        long[] zp = new long[s.length];
        TensorInfo z = ii.length > 2 && ii[2] >= 0 ? m.tensors().get(ii[2]) : null;
        if (z != null && z.value() != null) {
            for (int i = 0; i < zp.length; i++) {
                zp[i] = z.value().getLong(Math.min(i, z.value().size() - 1));
            }
        }
        int axis = -1;
        if (s.length > 1) {
            long a = in.attrs().getInt("axis", 1);
            axis = (int) (a < 0 ? a + intSide.shape().length : a);
        }
        return new Quant(s, zp, axis);
    }

    private static String scales(Quant q) {
        return q.scales().length == 1 ? "scale " + q.scales()[0] + ", zero point " + q.zeroPoints()[0]
                : q.scales().length + " per-channel scales along axis " + q.axis();
    }

    /** The featuremap input that only instruction i reads, when i reads it as its data input. */
    private static IoDescriptor headInput(CompiledModel m, int i) {
        Instruction in = m.instructions().get(i);
        if (in.outputs().length != 1 || in.outputs()[0] < 0 || isOutput(m, in.outputs()[0])) {
            return null;
        }
        int data = dataInput(m, in);
        if (data < 0) {
            return null;
        }
        for (IoDescriptor d : m.inputs()) {
            if (d.tensor() == data && !d.type().isImage() && d.toProgram() == null && readers(m, data) == 1) {
                return d;
            }
        }
        return null;
    }

    /** The model output that instruction i writes and nothing else reads. */
    private static IoDescriptor tailOutput(CompiledModel m, int i) {
        Instruction in = m.instructions().get(i);
        if (in.outputs().length != 1 || in.outputs()[0] < 0) {
            return null;
        }
        int data = dataInput(m, in);
        if (data < 0 || isOutput(m, data) || isInput(m, data)) {
            return null;
        }
        for (IoDescriptor d : m.outputs()) {
            if (d.tensor() == in.outputs()[0] && readers(m, d.tensor()) == 0) {
                return d;
            }
        }
        return null;
    }

    /** The single non-constant input of an instruction, or -1. */
    private static int dataInput(CompiledModel m, Instruction in) {
        int found = -1;
        for (int t : in.inputs()) {
            if (t >= 0 && !m.tensors().get(t).isConstant()) {
                if (found >= 0 && found != t) {
                    return -1;
                }
                found = t;
            }
        }
        return found;
    }

    private static int readers(CompiledModel m, int t) {
        int n = 0;
        for (Instruction in : m.instructions()) {
            for (int x : in.inputs()) {
                if (x == t) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static boolean isOutput(CompiledModel m, int t) {
        return m.outputs().stream().anyMatch(d -> d.tensor() == t);
    }

    private static boolean isInput(CompiledModel m, int t) {
        return m.inputs().stream().anyMatch(d -> d.tensor() == t);
    }

    private static int indexOf(List<IoDescriptor> ds, String name) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException(name);
    }
}
