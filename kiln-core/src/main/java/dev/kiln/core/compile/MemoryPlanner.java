package dev.kiln.core.compile;

import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.MemoryPlan;
import dev.kiln.runtime.bin.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Memory planning (optimize_level O2 and above): each activation tensor lives from the instruction
 * that writes it (graph inputs: from the start) to its last reader (graph outputs: to the end);
 * tensors whose lifetimes do not overlap may share arena bytes.
 * <ul>
 * <li>bandwidth: greedy best fit, largest tensors first, each at the lowest 64-byte aligned offset
 *     free during its whole lifetime: the smallest arena this heuristic finds.</li>
 * <li>latency: a region is shared only by tensors of the same byte size, so a freed buffer is
 *     taken as is by the next tensor (no splitting or copying); the arena is larger.</li>
 * </ul>
 * Tensors of unknown size are left out (offset -1) and allocated at run time.
 */
final class MemoryPlanner {
    private static final int ALIGN = 64;

    private MemoryPlanner() {
    }

    private record Item(int tensor, long size, int from, int to) {
        boolean overlaps(Item o) {
            return from <= o.to && o.from <= to;
        }
    }

    static long[] lifetimesEnd(List<Instruction> ins, List<TensorInfo> tensors, List<IoDescriptor> outputs) {
        long[] end = new long[tensors.size()];
        Arrays.fill(end, -2);
        for (int i = 0; i < ins.size(); i++) {
            for (int t : ins.get(i).inputs()) {
                if (t >= 0) {
                    end[t] = i;
                }
            }
            for (int t : ins.get(i).outputs()) {
                if (t >= 0 && end[t] < i) {
                    end[t] = i;
                }
            }
        }
        for (IoDescriptor d : outputs) {
            end[d.tensor()] = ins.size();
        }
        return end;
    }

    /** The instruction that first writes each tensor: -1 for model inputs, MAX_VALUE for tensors never written. */
    static int[] lifetimesStart(List<Instruction> ins, List<TensorInfo> tensors, List<IoDescriptor> inputs) {
        int[] start = new int[tensors.size()];
        Arrays.fill(start, Integer.MAX_VALUE);
        for (IoDescriptor d : inputs) {
            start[d.tensor()] = -1;
        }
        for (int i = 0; i < ins.size(); i++) {
            for (int t : ins.get(i).outputs()) {
                if (t >= 0) {
                    start[t] = Math.min(start[t], i);
                }
            }
        }
        return start;
    }

    static MemoryPlan plan(List<Instruction> ins, List<TensorInfo> tensors, List<IoDescriptor> inputs,
                           List<IoDescriptor> outputs, CompileMode mode) {
        int[] start = lifetimesStart(ins, tensors, inputs);
        long[] end = lifetimesEnd(ins, tensors, outputs);
        List<Item> items = new ArrayList<>();
        long unplanned = 0;
        for (int t = 0; t < tensors.size(); t++) {
            TensorInfo ti = tensors.get(t);
            if (ti.isConstant() || ti.shape() == null || start[t] == Integer.MAX_VALUE || !known(ti.shape())) {
                continue;
            }
            long size = align(ti.byteSize());
            unplanned += size;
            items.add(new Item(t, size, start[t], (int) Math.max(end[t], start[t])));
        }
        long[] offsets = new long[tensors.size()];
        Arrays.fill(offsets, -1);
        long arena = mode == CompileMode.BANDWIDTH ? bestFit(items, offsets) : sameSize(items, offsets);
        return new MemoryPlan(offsets, arena, unplanned, true);
    }

    private static boolean known(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    private static long align(long v) {
        return (v + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static long bestFit(List<Item> items, long[] offsets) {
        List<Item> order = new ArrayList<>(items);
        order.sort(Comparator.comparingLong(Item::size).reversed().thenComparingInt(Item::tensor));
        List<Item> placed = new ArrayList<>();
        long arena = 0;
        for (Item it : order) {
            List<long[]> busy = new ArrayList<>();
            for (Item p : placed) {
                if (p.overlaps(it)) {
                    busy.add(new long[] {offsets[p.tensor], offsets[p.tensor] + p.size});
                }
            }
            busy.sort(Comparator.comparingLong(a -> a[0]));
            long best = -1;
            long bestGap = Long.MAX_VALUE;
            long cursor = 0;
            for (long[] b : busy) {
                long gap = b[0] - cursor;
                if (gap >= it.size && gap < bestGap) {
                    best = cursor;
                    bestGap = gap;
                }
                cursor = Math.max(cursor, b[1]);
            }
            long at = best >= 0 ? best : cursor;
            offsets[it.tensor] = at;
            arena = Math.max(arena, at + it.size);
            placed.add(it);
        }
        return arena;
    }

    private static long sameSize(List<Item> items, long[] offsets) {
        List<Item> order = new ArrayList<>(items);
        order.sort(Comparator.comparingInt(Item::from).thenComparingInt(Item::tensor));
        List<long[]> regions = new ArrayList<>(); // {offset, size, busyUntil}
        long arena = 0;
        for (Item it : order) {
            long[] free = null;
            for (long[] r : regions) {
                if (r[1] == it.size && r[2] < it.from) {
                    free = r;
                    break;
                }
            }
            if (free == null) {
                free = new long[] {arena, it.size, -2};
                regions.add(free);
                arena += it.size;
            }
            free[2] = it.to;
            offsets[it.tensor] = free[0];
        }
        return arena;
    }
}
