package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/**
 * ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along the time
 * axis and keeps the rest. batch_axis (default 1) and time_axis (default 0) are 0 and 1 in some order.
 */
public final class ReverseSequenceKernel extends NamedFactory {
    public static final ReverseSequenceKernel INSTANCE = new ReverseSequenceKernel();

    private ReverseSequenceKernel() {
        super("ReverseSequence", 149);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long batchAxis = ctx.attrs().getInt("batch_axis", 1);
        long timeAxis = ctx.attrs().getInt("time_axis", 0);
        if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0))) {
            throw ctx.error("batch_axis and time_axis must be 0 and 1 in some order; found " + batchAxis + " and "
                    + timeAxis);
        }
        boolean timeMajor = timeAxis == 0;
        return (in, ec) -> {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s.length < 2) {
                throw new IllegalArgumentException("expects an input of rank 2 or more, found rank " + s.length);
            }
            int time = s[timeMajor ? 0 : 1];
            int batch = s[timeMajor ? 1 : 0];
            long[] lens = ShapeArgs.longs(in[1], "sequence_lens");
            if (lens.length != batch) {
                throw new IllegalArgumentException("sequence_lens has " + lens.length + " entries for a batch of " + batch);
            }
            int inner = Shapes.product(s, 2, s.length);
            Tensor out = Tensor.allocate(x.dtype(), s);
            for (int b = 0; b < batch; b++) {
                long len = lens[b];
                if (len < 0 || len > time) {
                    throw new IllegalArgumentException("sequence length " + len + " is outside [0, " + time + "]");
                }
                for (int t = 0; t < time; t++) {
                    int src = t < len ? (int) len - 1 - t : t;
                    int dst = timeMajor ? (t * batch + b) * inner : (b * time + t) * inner;
                    int from = timeMajor ? (src * batch + b) * inner : (b * time + src) * inner;
                    out.copyFrom(x, from, dst, inner);
                }
            }
            return new Tensor[] {out};
        };
    }
}
