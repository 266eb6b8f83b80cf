package dev.kiln.core.compile;

import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.tensor.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Placement of compiled instructions (SPEC section 5): an instruction is on the integer engine
 * ("BPU") when it runs an integer kernel or moves int8/int16 data; QuantizeLinear and
 * DequantizeLinear are the boundaries and run on the CPU, as does every float kernel, and every
 * instruction covering a node the quantization plan placed on the CPU (a march limit, run_on_cpu),
 * even when its DequantizeLinear -> node -> QuantizeLinear pattern runs as an exact integer kernel.
 * Each maximal
 * set of BPU instructions connected through the tensors they pass is one subgraph, numbered id(0),
 * id(1)... in order of first appearance.
 */
final class Partition {
    /** Subgraph of each instruction, -1 for CPU ones. */
    final int[] subgraph;
    /** Why each CPU instruction is on the CPU (null for BPU ones). */
    final String[] reason;
    final int count;

    /** @param cpuNodes source nodes placed on the CPU by the plan, with the reason, by name */
    Partition(List<Instruction> ins, List<TensorInfo> tensors, Map<String, String> cpuNodes) {
        int n = ins.size();
        subgraph = new int[n];
        reason = new String[n];
        boolean[] bpu = new boolean[n];
        for (int i = 0; i < n; i++) {
            Instruction in = ins.get(i);
            reason[i] = planned(in, cpuNodes);
            if (reason[i] == null) {
                reason[i] = cpuReason(in, tensors);
            }
            bpu[i] = reason[i] == null;
        }
        // union-find over BPU instructions joined by a tensor one writes and the other reads
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int[] producer = new int[tensors.size()];
        Arrays.fill(producer, -1);
        for (int i = 0; i < n; i++) {
            for (int t : ins.get(i).outputs()) {
                if (t >= 0) {
                    producer[t] = i;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!bpu[i]) {
                continue;
            }
            for (int t : ins.get(i).inputs()) {
                int p = t >= 0 ? producer[t] : -1;
                if (p >= 0 && bpu[p]) {
                    union(parent, i, p);
                }
            }
        }
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (!bpu[i]) {
                subgraph[i] = -1;
                continue;
            }
            int root = find(parent, i);
            Integer id = ids.get(root);
            if (id == null) {
                id = ids.size();
                ids.put(root, id);
            }
            subgraph[i] = id;
        }
        count = ids.size();
    }

    /** Instruction indices of subgraph k, in execution order. */
    int[] members(int k) {
        List<Integer> m = new ArrayList<>();
        for (int i = 0; i < subgraph.length; i++) {
            if (subgraph[i] == k) {
                m.add(i);
            }
        }
        return m.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The plan's reason for the first covered node it placed on the CPU, or null. */
    private static String planned(Instruction in, Map<String, String> cpuNodes) {
        for (String node : in.nodes()) {
            String why = cpuNodes.get(node);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String cpuReason(Instruction in, List<TensorInfo> tensors) {
        String op = in.opType();
        if (op.equals("QuantizeLinear") || op.equals("DequantizeLinear")) {
            return "quantization boundary (" + op + ")";
        }
        if (in.isInteger()) {
            return null;
        }
        boolean any = false;
        for (int[] ids : new int[][] {in.inputs(), in.outputs()}) {
            for (int t : ids) {
                if (t < 0) {
                    continue;
                }
                TensorInfo ti = tensors.get(t);
                if (ti.isConstant() && ids == in.inputs()) {
                    continue;
                }
                if (ti.dtype() != DType.INT8 && ti.dtype() != DType.INT16) {
                    return op + " runs its float32 kernel (" + describe(ti) + ")";
                }
                any = true;
            }
        }
        return any ? null : op + " has no quantized data";
    }

    private static String describe(TensorInfo t) {
        return "tensor '" + t.name() + "' is " + t.dtype().displayName();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
