package dev.kiln.runtime.bin;

import dev.kiln.runtime.tensor.DType;

/**
 * How the kernel factory saw one input (or that it was omitted) of the source node when the model was compiled: element type
 * (null if unknown), shape (-1 for unknown dims, null for unknown rank) and, when its value was
 * known before running, the tensor holding it (else -1). Integer kernels read int8 data whose node
 * inputs were float, so this view is stored apart from the data tensors.
 */
public record KernelInput(boolean present, DType dtype, int[] shape, int constant) {
    /** An omitted optional input. */
    public static final KernelInput ABSENT = new KernelInput(false, null, null, -1);
}
