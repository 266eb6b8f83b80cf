package dev.kiln.runtime.engine;

import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.ops.KernelTable;
import dev.kiln.runtime.tensor.BufferPool;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A compiled model ready to run: every instruction's kernel built once by the same factories the
 * toolchain uses, constants in memory. {@link #infer} may be called from many threads at once;
 * each call takes a pooled buffer set, so per-inference storage is reused, not reallocated.
 */
public final class LoadedModel {
    /** Upper bound of the storage one pooled buffer set keeps between runs. */
    private static final long POOL_BYTES = 1L << 30;

    private final CompiledModel model;
    private final Kernel[] kernels;
    /** For each instruction, the tensors whose last reader it is (released after it when the plan says so). */
    private final int[][] releaseAfter;
    private final boolean release;
    private final Parallel parallel;
    private final ExecContext exec;
    private final ConcurrentLinkedQueue<BufferPool> idle = new ConcurrentLinkedQueue<>();
    private final int batch;

    /**
     * @param threads intra-model threads (the compiled core_num when 0 or less)
     */
    public LoadedModel(CompiledModel model, int threads) {
        this(model, threads, 1);
    }

    /**
     * @param threads   intra-model threads (the compiled core_num when 0 or less)
     * @param buildJobs threads that prepare the kernels (weight packing) while loading
     */
    public LoadedModel(CompiledModel model, int threads, int buildJobs) {
        this.model = model;
        int t = threads > 0 ? threads : Integer.parseInt(model.build().getOrDefault("core_num", "1"));
        this.parallel = Parallel.of(t);
        this.exec = () -> parallel;
        List<Instruction> ins = model.instructions();
        kernels = new Kernel[ins.size()];
        if (buildJobs <= 1) {
            for (int i = 0; i < ins.size(); i++) {
                kernels[i] = build(ins.get(i));
            }
        } else {
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(buildJobs);
            try {
                pool.submit(() -> java.util.stream.IntStream.range(0, ins.size()).parallel()
                        .forEach(i -> kernels[i] = build(ins.get(i)))).join();
            } finally {
                pool.shutdown();
            }
        }
        release = model.plan() != null && model.plan().releaseAfterLastUse();
        batch = Math.max(1, Integer.parseInt(model.build().getOrDefault("input_batch", "1")));
        releaseAfter = lastUses();
    }

    private Kernel build(Instruction in) {
        KernelFactory f = KernelTable.find(in.opcode());
        if (f == null) {
            throw new KilnRuntimeException("model '" + model.name() + "', node '" + in.name() + "': operator " + in.opType()
                    + " (opcode " + in.opcode() + ") has no kernel in this runtime; use a Kiln at least as new as the one"
                    + " that compiled it (" + model.build().getOrDefault("kiln_version", "?") + ")");
        }
        if (!f.opType().equals(in.opType())) {
            throw new KilnRuntimeException("model '" + model.name() + "', node '" + in.name() + "': opcode " + in.opcode()
                    + " is " + f.opType() + " here but " + in.opType() + " in the file");
        }
        InstructionContext ctx = new InstructionContext(in, model);
        try {
            if (in.isInteger()) {
                Kernel k = f.prepareInteger(ctx, in.integer().toParams(i -> model.tensors().get(i).value()));
                // operators that only move or select values (Reshape, MaxPool, Concat of equal scales...)
                // have no integer kernel of their own: their element-generic kernel runs on the int8 data
                return k != null ? k : f.prepare(ctx);
            }
            return f.prepare(ctx);
        } catch (KilnRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private int[][] lastUses() {
        List<TensorInfo> tensors = model.tensors();
        int[] last = new int[tensors.size()];
        java.util.Arrays.fill(last, -1);
        List<Instruction> ins = model.instructions();
        for (int i = 0; i < ins.size(); i++) {
            for (int t : ins.get(i).inputs()) {
                if (t >= 0) {
                    last[t] = i;
                }
            }
            for (int t : ins.get(i).outputs()) {
                if (t >= 0 && last[t] < i) {
                    last[t] = i;
                }
            }
        }
        for (IoDescriptor d : model.outputs()) {
            last[d.tensor()] = -1;
        }
        List<List<Integer>> per = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            per.add(new ArrayList<>());
        }
        for (int t = 0; t < last.length; t++) {
            if (last[t] >= 0 && !tensors.get(t).isConstant()) {
                per.get(last[t]).add(t);
            }
        }
        int[][] out = new int[ins.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = per.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    public CompiledModel compiled() {
        return model;
    }

    public String name() {
        return model.name();
    }

    public List<IoDescriptor> inputs() {
        return model.inputs();
    }

    public List<IoDescriptor> outputs() {
        return model.outputs();
    }

    public int threads() {
        return parallel.threads();
    }

    /** Runs the model; outputs by name in the model's order. */
    public Map<String, Output> infer(Map<String, Input> inputs) {
        return infer(inputs, null);
    }

    /**
     * Runs the model, adding each instruction's wall time (nanoseconds) to {@code profile} when it is
     * not null (one slot per instruction).
     */
    public Map<String, Output> infer(Map<String, Input> inputs, long[] profile) {
        for (IoDescriptor d : model.inputs()) {
            if (inputs.get(d.name()) == null) {
                throw new KilnRuntimeException("missing input '" + d.name() + "'; the model's inputs are " + names(model.inputs()));
            }
        }
        for (String k : inputs.keySet()) {
            if (model.input(k) == null) {
                throw new KilnRuntimeException("the model has no input named '" + k + "'; its inputs are "
                        + names(model.inputs()));
            }
        }
        if (batch == 1) {
            Tensor[] values = new Tensor[model.tensors().size()];
            for (IoDescriptor d : model.inputs()) {
                values[d.tensor()] = InputStage.toProgram(d, model.tensors().get(d.tensor()), inputs.get(d.name()));
            }
            return run(values, profile, null);
        }
        // input_batch: the program runs once per frame; outputs are the frames' outputs stacked
        List<Map<String, Output>> frames = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            Tensor[] values = new Tensor[model.tensors().size()];
            for (IoDescriptor d : model.inputs()) {
                IoDescriptor frame = InputStage.frame(d, batch);
                values[d.tensor()] = InputStage.toProgram(frame, model.tensors().get(d.tensor()),
                        InputStage.slice(d, inputs.get(d.name()), b, batch));
            }
            frames.add(run(values, profile, null));
        }
        Map<String, Output> result = new LinkedHashMap<>();
        for (IoDescriptor d : model.outputs()) {
            Tensor first = frames.get(0).get(d.name()).raw();
            int[] shape = first.shape().length == 0 ? new int[] {batch} : first.shape().clone();
            if (first.shape().length > 0) {
                shape[0] *= batch;
            }
            Tensor all = Tensor.allocate(first.dtype(), shape);
            for (int b = 0; b < batch; b++) {
                all.copyFrom(frames.get(b).get(d.name()).raw(), 0, b * first.size(), first.size());
            }
            result.put(d.name(), new Output(d, all));
        }
        return result;
    }

    /** Frames per inference (input_batch); 1 for models compiled without it. */
    public int batch() {
        return batch;
    }

    /**
     * Runs on program tensors directly (the quantized model's own inputs), returning every program
     * tensor named in {@code keep} besides the outputs. For tools that compare with the toolchain.
     */
    public Map<String, Tensor> runProgram(Map<String, Tensor> programInputs, java.util.Set<String> keep) {
        Tensor[] values = new Tensor[model.tensors().size()];
        for (IoDescriptor d : model.inputs()) {
            String name = model.tensors().get(d.tensor()).name();
            Tensor t = programInputs.get(name);
            if (t == null) {
                t = programInputs.get(d.name());
            }
            if (t == null) {
                throw new KilnRuntimeException("missing input '" + d.name() + "'");
            }
            values[d.tensor()] = t;
        }
        Map<String, Tensor> kept = new LinkedHashMap<>();
        Map<String, Output> outs = run(values, null, keep == null ? null : (name, t) -> {
            if (keep.contains(name)) {
                kept.put(name, t.copy());
            }
        });
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Output o : outs.values()) {
            result.put(o.name(), o.raw());
        }
        kept.forEach(result::putIfAbsent);
        return result;
    }

    private static String names(List<IoDescriptor> ds) {
        List<String> n = new ArrayList<>();
        for (IoDescriptor d : ds) {
            n.add(d.name());
        }
        return n.toString();
    }

    private Map<String, Output> run(Tensor[] values, long[] profile, java.util.function.BiConsumer<String, Tensor> watch) {
        List<TensorInfo> tensors = model.tensors();
        for (int t = 0; t < values.length; t++) {
            if (tensors.get(t).isConstant()) {
                values[t] = tensors.get(t).value();
            }
        }
        BufferPool pool = idle.poll();
        if (pool == null) {
            pool = new BufferPool(POOL_BYTES);
        }
        BufferPool p = pool;
        try {
            return pool.use(() -> execute(values, profile, watch, p));
        } finally {
            pool.forgetAll();
            idle.offer(pool);
        }
    }

    private Map<String, Output> execute(Tensor[] values, long[] profile, java.util.function.BiConsumer<String, Tensor> watch,
                                        BufferPool pool) {
        List<Instruction> ins = model.instructions();
        List<TensorInfo> tensors = model.tensors();
        Map<Object, Integer> users = new IdentityHashMap<>();
        for (int i = 0; i < ins.size(); i++) {
            Instruction in = ins.get(i);
            int[] ids = in.inputs();
            Tensor[] args = new Tensor[ids.length];
            for (int k = 0; k < ids.length; k++) {
                if (ids[k] >= 0) {
                    args[k] = values[ids[k]];
                    if (args[k] == null) {
                        throw new KilnRuntimeException("node '" + in.name() + "' (" + in.label() + "): input '"
                                + tensors.get(ids[k]).name() + "' has no value");
                    }
                }
            }
            long t0 = profile != null ? System.nanoTime() : 0;
            Tensor[] out;
            try {
                out = kernels[i].run(args, exec);
            } catch (KilnRuntimeException e) {
                throw e.getMessage().startsWith("node '") ? e
                        : new KilnRuntimeException("node '" + in.name() + "' (" + in.label() + "): " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new KilnRuntimeException("node '" + in.name() + "' (" + in.label() + "): "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
            }
            if (profile != null) {
                profile[i] += System.nanoTime() - t0;
            }
            int[] outIds = in.outputs();
            for (int k = 0; k < outIds.length; k++) {
                if (outIds[k] < 0) {
                    continue;
                }
                if (k >= out.length || out[k] == null) {
                    throw new KilnRuntimeException("node '" + in.name() + "' (" + in.label() + "): output " + k
                            + " was not computed");
                }
                values[outIds[k]] = out[k];
                users.merge(out[k].data(), 1, Integer::sum);
                if (watch != null) {
                    watch.accept(tensors.get(outIds[k]).name(), out[k]);
                }
            }
            if (release) {
                for (int t : releaseAfter[i]) {
                    Tensor v = values[t];
                    values[t] = null;
                    if (v != null && !tensors.get(t).isConstant() && users.containsKey(v.data())) {
                        Integer left = users.merge(v.data(), -1, Integer::sum);
                        if (left != null && left <= 0) {
                            users.remove(v.data());
                            pool.give(v.data());
                        }
                    }
                }
            }
        }
        Map<String, Output> result = new LinkedHashMap<>();
        for (IoDescriptor d : model.outputs()) {
            Tensor t = values[d.tensor()];
            if (t == null) {
                throw new KilnRuntimeException("output '" + d.name() + "' was not computed");
            }
            pool.forget(t.data());
            users.remove(t.data());
            result.put(d.name(), new Output(d, t));
        }
        // what is still held goes back to the pool for the next run
        for (Object data : users.keySet()) {
            pool.give(data);
        }
        return result;
    }
}
