package dev.kiln.core.compile;

import dev.kiln.core.KilnException;
import dev.kiln.core.Version;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.exec.ProgramStep;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.OpRegistry;
import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.MemoryPlan;
import dev.kiln.runtime.bin.NodeCost;
import dev.kiln.runtime.bin.SubgraphInfo;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.engine.LoadedModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compile stage (SPEC sections 5 and 10): the quantized model's integer program, as Kiln's
 * executor runs it, becomes a {@link CompiledModel}: instructions placed on BPU or CPU and grouped
 * into subgraphs, descriptors of the inputs and outputs, a memory plan and static costs. Every
 * instruction is then built once by the runtime's kernel factories, so a model that compiles also
 * loads. No option changes what the model computes.
 */
public final class Compiler {
    /** What compiling produced: the model, where each source node runs, and the lines for the log. */
    public record Result(CompiledModel model, Map<String, Placement> placement, List<String> log) {
    }

    /** Where a source node runs: "BPU" with its subgraph id(k), or "CPU" with the reason. */
    public record Placement(String on, String subgraph, String reason) {
    }

    private Compiler() {
    }

    public static Result compile(Model quantized, CompileOptions o) {
        return compile(quantized, o, Map.of());
    }

    /**
     * @param cpuNodes nodes the quantization plan placed on the CPU, with the reason, by name: their
     *                 instructions are CPU ones in the placement even where they run exact integer
     *                 kernels on int8 data (what they compute does not change)
     */
    public static Result compile(Model quantized, CompileOptions o, Map<String, String> cpuNodes) {
        OpRegistry registry = OpRegistry.standard();
        Executor ex = new Executor(quantized, 1, registry, o.level() != OptimizeLevel.O0);
        ProgramBuilder pb = new ProgramBuilder(quantized.graph(), ex.constants(), registry);
        List<IoDescriptor> inputs = new ArrayList<>();
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        for (InputSpec s : o.inputs()) {
            if (s.name() != null) {
                specs.put(s.name(), s);
            }
        }
        for (Value v : quantized.graph().inputs()) {
            int t = pb.tensor(v);
            inputs.add(IoDescriptors.input(t, pb.tensors.get(t), specs.get(v.name())));
        }
        List<ProgramStep> steps = ex.program();
        for (ProgramStep st : steps) {
            pb.add(st);
        }
        List<IoDescriptor> outputs = new ArrayList<>();
        for (Value v : quantized.graph().outputs()) {
            int t = pb.tensor(v);
            outputs.add(IoDescriptors.output(t, pb.tensors.get(t)));
        }
        int batch = o.inputs().stream().mapToInt(InputSpec::batch).max().orElse(1);
        if (batch > 1) {
            inputs.replaceAll(d -> IoDescriptors.batched(d, batch));
            outputs.replaceAll(d -> IoDescriptors.batched(d, batch));
        }
        List<TensorInfo> tensors = pb.tensors;
        Partition part = new Partition(pb.instructions, tensors, cpuNodes);
        List<Instruction> ins = new ArrayList<>();
        for (int i = 0; i < pb.instructions.size(); i++) {
            Instruction in = pb.instructions.get(i);
            ins.add(new Instruction(in.name(), in.opType(), in.opcode(), in.opset(), in.label(), part.subgraph[i],
                    in.inputs(), in.outputs(), in.attrs(), in.integer(),
                    o.level() == OptimizeLevel.O3 ? Variants.choose(in) : null, in.nodes(), in.view()));
        }
        MemoryPlan plan = o.level().compareTo(OptimizeLevel.O2) >= 0
                ? MemoryPlanner.plan(ins, tensors, inputs, outputs, o.mode()) : null;
        List<SubgraphInfo> subgraphs = new ArrayList<>();
        List<String> log = new ArrayList<>();
        int[] start = MemoryPlanner.lifetimesStart(ins, tensors, inputs);
        long[] end = MemoryPlanner.lifetimesEnd(ins, tensors, outputs);
        for (int k = 0; k < part.count; k++) {
            int[] members = part.members(k);
            long macs = 0;
            long bytes = 0;
            long weights = 0;
            for (int i : members) {
                macs += Costs.macs(ins.get(i), tensors);
                bytes += Costs.bytes(ins.get(i), tensors);
                weights += Costs.weightBytes(ins.get(i), tensors);
            }
            long arena = arena(members, tensors, start, end);
            double us = Costs.micros(macs, bytes, true, o.coreNum());
            subgraphs.add(new SubgraphInfo(k, members, macs, weights, arena, us));
            log.add(String.format(Locale.ROOT, "Subgraph id(%d): %d nodes, %s MACs, %s weight bytes, %s arena bytes,"
                    + " estimated %.1f us", k, members.length, group(macs), group(weights), group(arena), us));
        }
        long cpuMacs = 0;
        int cpuCount = 0;
        for (int i = 0; i < ins.size(); i++) {
            if (part.subgraph[i] < 0) {
                cpuMacs += Costs.macs(ins.get(i), tensors);
                cpuCount++;
            }
        }
        log.add(String.format(Locale.ROOT, "CPU: %d nodes, %s MACs", cpuCount, group(cpuMacs)));
        if (plan != null) {
            log.add(String.format(Locale.ROOT, "Memory plan (%s): arena %s bytes, %s bytes without reuse",
                    o.mode().name().toLowerCase(Locale.ROOT), group(plan.arenaBytes()), group(plan.unplannedBytes())));
        } else {
            log.add("Memory plan: none at " + o.level() + " (every tensor keeps its own buffer during a run)");
        }
        List<NodeCost> profile = null;
        if (o.debug()) {
            profile = new ArrayList<>();
            for (Instruction in : ins) {
                profile.add(new NodeCost(in.name(), Costs.macs(in, tensors), Costs.bytes(in, tensors)));
            }
        }
        Map<String, Integer> dump = null;
        if (o.layerOutDump()) {
            dump = new LinkedHashMap<>();
            for (Instruction in : ins) {
                if (in.opType().equals("Conv") && in.outputs().length > 0 && in.outputs()[0] >= 0) {
                    dump.put(in.name(), in.outputs()[0]);
                }
            }
        }
        Map<String, String> build = new LinkedHashMap<>();
        build.put("kiln_version", Version.get());
        build.put("march", o.march());
        build.put("optimize_level", o.level().name());
        build.put("compile_mode", o.mode().name().toLowerCase(Locale.ROOT));
        build.put("core_num", Integer.toString(Math.max(1, o.coreNum())));
        build.put("debug", Boolean.toString(o.debug()));
        build.put("layer_out_dump", Boolean.toString(o.layerOutDump()));
        build.put("input_batch", Integer.toString(batch));
        CompiledModel model = new CompiledModel(o.name(), o.config(), build, tensors, ins, inputs, outputs, subgraphs,
                plan, List.of(), profile, dump);
        check(model, o.jobs());
        return new Result(model, placement(pb.covered, part), log);
    }

    /** Builds every kernel as the runtime will (in {@code jobs} threads), so what compiles also loads. */
    private static void check(CompiledModel model, int jobs) {
        try {
            new LoadedModel(model, 1, jobs);
        } catch (KilnRuntimeException e) {
            throw new KilnException("the compiled model does not load: " + e.getMessage(), e);
        }
    }

    private static Map<String, Placement> placement(List<List<Node>> covered, Partition part) {
        Map<String, Placement> out = new LinkedHashMap<>();
        for (int i = 0; i < covered.size(); i++) {
            Placement p = part.subgraph[i] >= 0 ? new Placement("BPU", "id(" + part.subgraph[i] + ")", null)
                    : new Placement("CPU", "--", part.reason[i]);
            for (Node n : covered.get(i)) {
                out.putIfAbsent(n.name(), p);
            }
        }
        return out;
    }

    /** Peak bytes of activations alive while subgraph members run. */
    private static long arena(int[] members, List<TensorInfo> tensors, int[] start, long[] end) {
        long peak = 0;
        for (int i : members) {
            long live = 0;
            for (int t = 0; t < tensors.size(); t++) {
                TensorInfo ti = tensors.get(t);
                if (!ti.isConstant() && ti.shape() != null && start[t] <= i && end[t] >= i) {
                    live += Math.max(0, ti.byteSize());
                }
            }
            peak = Math.max(peak, live);
        }
        return peak;
    }

    private static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
