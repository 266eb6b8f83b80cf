package dev.kiln.runtime.bin;

/**
 * Where each activation tensor lives in one arena (O2 and above): byte offsets by tensor index
 * (-1 for constants and tensors outside the arena), the arena's size, the size without reuse,
 * and whether the runtime returns a tensor's storage after its last reader.
 */
public record MemoryPlan(long[] offsets, long arenaBytes, long unplannedBytes, boolean releaseAfterLastUse) {
}
