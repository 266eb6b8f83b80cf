package dev.kiln.core.ops;

import dev.kiln.core.ir.Dim;
import dev.kiln.runtime.ops.nn.PoolGeometry;

import java.util.Arrays;

/** Shape inference of the sliding-window pooling operators, from their {@link PoolGeometry}. */
final class PoolInference {
    private PoolInference() {
    }

    /**
     * The output dims of a pool over an input of dims [N, C, spatial...]: N and C kept (symbolic
     * names too), spatial dims computed where known. Null when the input rank is unknown.
     */
    static Dim[] outputDims(OpContext ctx, PoolGeometry g, Dim[] in) {
        if (in == null) {
            return null;
        }
        int rank = g.rank;
        if (in.length != rank + 2) {
            throw ctx.error("input has rank " + in.length + " but kernel_shape " + Arrays.toString(g.kernel)
                    + " needs rank " + (rank + 2) + " (N, C and " + rank + " spatial axes)");
        }
        Dim[] out = in.clone();
        for (int i = 0; i < rank; i++) {
            Dim d = in[i + 2];
            if (!d.isKnown()) {
                out[i + 2] = Dim.UNKNOWN;
                continue;
            }
            int[] r = PoolGeometry.outputSize((int) d.value(), g.kernel[i], g.strides[i], g.dilations[i], g.pads[i],
                    g.pads[rank + i], g.autoPad, g.ceilMode, false);
            if (r[0] < 0) {
                throw ctx.error("spatial axis " + i + " of size " + d.value() + " is too small for kernel " + g.kernel[i]
                        + " with dilation " + g.dilations[i] + " and pads " + r[1] + "+" + r[2]);
            }
            out[i + 2] = Dim.of(r[0]);
        }
        return out;
    }
}
