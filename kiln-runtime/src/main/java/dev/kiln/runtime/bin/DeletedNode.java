package dev.kiln.runtime.bin;

/**
 * A node removed from the model after compilation ({@code kiln modify}): what it was, the model
 * input or output it sat on, and what the application now does instead (e.g. the scale to apply).
 */
public record DeletedNode(String name, String opType, String tensor, String detail) {
}
