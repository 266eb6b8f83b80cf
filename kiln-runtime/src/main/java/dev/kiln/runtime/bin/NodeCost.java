package dev.kiln.runtime.bin;

/** Static cost of one instruction: multiply-accumulates and bytes read and written. */
public record NodeCost(String instruction, long macs, long bytes) {
}
