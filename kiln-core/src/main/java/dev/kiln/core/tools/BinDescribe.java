package dev.kiln.core.tools;

import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.DeletedNode;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.Quant;
import dev.kiln.runtime.bin.SubgraphInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Human-readable descriptions of a .bin: {@code kiln run model_info} and {@code kiln info}. */
public final class BinDescribe {
    private BinDescribe() {
    }

    /** The tensor descriptors of every model (or of {@code only} when not null), hrt_model_exec style. */
    public static List<String> modelInfo(BinFile f, String only) {
        List<String> out = new ArrayList<>();
        out.add("This model file has " + f.models().size() + " model" + (f.models().size() == 1 ? "" : "s") + ":");
        StringBuilder names = new StringBuilder();
        for (CompiledModel m : f.models()) {
            names.append('[').append(m.name()).append(']');
        }
        out.add(names.toString());
        for (CompiledModel m : f.models()) {
            if (only != null && !only.equals(m.name())) {
                continue;
            }
            out.add("-".repeat(69));
            out.add("[model name]: " + m.name());
            for (int i = 0; i < m.inputs().size(); i++) {
                out.add("");
                out.add("input[" + i + "]:");
                descriptor(m.inputs().get(i), out);
            }
            for (int i = 0; i < m.outputs().size(); i++) {
                out.add("");
                out.add("output[" + i + "]:");
                descriptor(m.outputs().get(i), out);
            }
        }
        return out;
    }

    private static void descriptor(IoDescriptor d, List<String> out) {
        out.add("name: " + d.name());
        out.add("valid shape: " + tuple(d.validShape()));
        out.add("aligned shape: " + tuple(d.alignedShape()));
        out.add("aligned byte size: " + d.byteSize());
        out.add("tensor type: " + d.type());
        out.add("tensor layout: " + d.layout());
        Quant q = d.quant();
        if (q == null) {
            out.add("quanti type: NONE");
        } else {
            out.add("quanti type: SCALE");
            out.add("quantize axis: " + q.axis());
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < q.scales().length; i++) {
                s.append(i == 0 ? "" : ",").append(q.scales()[i]);
                if (i == 15 && q.scales().length > 17) {
                    s.append(",... (").append(q.scales().length).append(" scales)");
                    break;
                }
            }
            out.add("scale data: " + s);
        }
        long[] st = d.strides();
        StringBuilder s = new StringBuilder("(");
        for (long v : st) {
            s.append(v).append(',');
        }
        out.add("stride: " + s + ")");
    }

    private static String tuple(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int v : shape) {
            s.append(v).append(',');
        }
        return s + ")";
    }

    /** Versions, build options, subgraphs, inputs/outputs, deleted nodes and the YAML (hb_model_info style). */
    public static List<String> info(BinFile f, String source) {
        List<String> out = new ArrayList<>();
        out.add("File: " + source);
        out.add("Format version: " + f.formatMajor() + "." + f.formatMinor());
        for (Map.Entry<String, String> e : f.info().entrySet()) {
            out.add(e.getKey() + ": " + e.getValue());
        }
        out.add("Models: " + f.models().size());
        for (CompiledModel m : f.models()) {
            out.add("=".repeat(69));
            out.add("Model: " + m.name());
            for (Map.Entry<String, String> e : m.build().entrySet()) {
                out.add("  " + e.getKey() + ": " + e.getValue());
            }
            int cpu = 0;
            for (var in : m.instructions()) {
                cpu += in.subgraph() < 0 ? 1 : 0;
            }
            out.add("  instructions: " + m.instructions().size() + " (" + (m.instructions().size() - cpu)
                    + " on BPU, " + cpu + " on CPU)");
            for (SubgraphInfo s : m.subgraphs()) {
                out.add(String.format(Locale.ROOT, "  subgraph %s: %d nodes, %,d MACs, %,d weight bytes", s.label(),
                        s.instructions().length, s.macs(), s.weightBytes()));
            }
            if (m.plan() != null) {
                out.add(String.format(Locale.ROOT, "  memory plan: arena %,d bytes (%,d without reuse)",
                        m.plan().arenaBytes(), m.plan().unplannedBytes()));
            }
            for (IoDescriptor d : m.inputs()) {
                out.add("  input " + d.name() + ": " + BinInputs.describe(d));
            }
            for (IoDescriptor d : m.outputs()) {
                out.add("  output " + d.name() + ": " + BinInputs.describe(d) + (d.quant() == null ? "" : " quantized"));
            }
            if (m.deleted().isEmpty()) {
                out.add("  deleted nodes: none");
            } else {
                out.add("  deleted nodes:");
                for (DeletedNode dn : m.deleted()) {
                    out.add("    " + dn.name() + " (" + dn.opType() + ") on " + dn.tensor() + ": " + dn.detail());
                }
            }
            out.add("  profile data: " + (m.profile() == null ? "no" : "yes (" + m.profile().size() + " nodes)")
                    + ", conv dump map: " + (m.dumpMap() == null ? "no" : "yes (" + m.dumpMap().size() + " nodes)"));
            out.add("  ---------------- config that built it ----------------");
            for (String line : (m.config() == null || m.config().isEmpty() ? "(none recorded)" : m.config())
                    .stripTrailing().split("\n")) {
                out.add("  " + line);
            }
        }
        return out;
    }
}
