package dev.kiln.runtime.bin;

/**
 * One integer subgraph ("BPU", id(k)): a maximal run of connected integer instructions, with its
 * static costs and estimated latency.
 */
public record SubgraphInfo(int id, int[] instructions, long macs, long weightBytes, long arenaBytes,
                           double estimatedMicros) {
    public String label() {
        return "id(" + id + ")";
    }
}
