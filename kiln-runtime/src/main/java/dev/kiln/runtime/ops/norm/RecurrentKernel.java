package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.List;

/**
 * What the kernels of LSTM, GRU and RNN share: attributes (direction, hidden_size, activations,
 * clip, layout), input checks, the input projection X·Wᵀ for all time steps at once, the time loop
 * with per-batch sequence lengths, and the outputs in either layout. Each subclass supplies its
 * {@link Cell}: which biases fold into the projection and one time step.
 *
 * <p>Inputs X, W, R, B, sequence_lens, initial_h (LSTM adds initial_c, P); outputs Y, Y_h (LSTM
 * adds Y_c). A batch entry with sequence length L is processed for steps [0, L) only (in reverse
 * from L - 1 for the backward direction); its Y rows past L are zero and its final states are
 * those of its last valid step (zero when L is 0), as in ONNX Runtime.
 */
public abstract class RecurrentKernel extends NamedFactory {
    RecurrentKernel(String opType, int opcode) {
        super(opType, opcode);
    }

    /** Gate blocks in W and R: 4 for LSTM (i, o, f, c), 3 for GRU (z, r, h), 1 for RNN. */
    public abstract int gates();

    /** Default activation functions of one direction. */
    abstract List<String> defaultActivations();

    /** True for RNN, whose alpha/beta lists ONNX Runtime reads one value per direction. */
    boolean alphaPerDirection() {
        return false;
    }

    /** The op's own attributes, parsed once. */
    abstract Cell cell(KernelContext ctx);

    /** The per-op part of the computation; immutable, shared by concurrent runs. */
    interface Cell {
        /**
         * Writes into out (length G·H) the biases added to every step's projection, from one
         * direction's B = [Wb, Rb] at b[off, off + 2·G·H). Default: Wb + Rb for every gate.
         */
        default void foldBias(float[] b, int off, int gh, float[] out) {
            for (int j = 0; j < gh; j++) {
                out[j] = b[off + j] + b[off + gh + j];
            }
        }

        /** Advances every batch entry still inside its sequence by one step (step index s). */
        void step(Sweep sw, int s);
    }

    /** The state of one direction while it runs. */
    static final class Sweep {
        final Parallel par;
        final int batch;
        final int hidden;
        final int gh;
        final int direction;
        final int numDirections;
        final boolean reverse;
        final int[] lengths;
        /** [seq][batch][G·H]: X·Wᵀ plus the folded biases. */
        final float[] xw;
        /** Rᵀ of this direction: [H][G·H]. */
        final float[] rT;
        /** B of this direction ([2·G·H]) or null. */
        final float[] bias;
        /** P of this direction ([3·H], LSTM) or null. */
        final float[] peepholes;
        final RecurrentMath.Activation[] act;
        /** Clip threshold, +infinity when none. */
        final float clip;
        /** Hidden state [batch][H]; each row keeps its last valid value. */
        final float[] h;
        /** Cell state [batch][H] (LSTM) or null. */
        final float[] c;
        /** Scratch [batch][G·H]. */
        final float[] acc;
        /** All directions' outputs, [seq][directions][batch][H]. */
        final float[] y;

        Sweep(Parallel par, int batch, int hidden, int gh, int direction, int numDirections, boolean reverse,
              int[] lengths, float[] xw, float[] rT, float[] bias, float[] peepholes,
              RecurrentMath.Activation[] act, float clip, float[] h, float[] c, float[] y) {
            this.par = par;
            this.batch = batch;
            this.hidden = hidden;
            this.gh = gh;
            this.direction = direction;
            this.numDirections = numDirections;
            this.reverse = reverse;
            this.lengths = lengths;
            this.xw = xw;
            this.rT = rT;
            this.bias = bias;
            this.peepholes = peepholes;
            this.act = act;
            this.clip = clip;
            this.h = h;
            this.c = c;
            this.acc = new float[batch * gh];
            this.y = y;
        }

        /** The time index batch entry b handles at step s, or -1 when its sequence is over. */
        int time(int b, int s) {
            if (s >= lengths[b]) {
                return -1;
            }
            return reverse ? lengths[b] - 1 - s : s;
        }

        int xwOffset(int t, int b) {
            return (t * batch + b) * gh;
        }

        int yOffset(int t, int b) {
            return ((t * numDirections + direction) * batch + b) * hidden;
        }

        /** acc[:, col0, col0 + cols) = h · Rᵀ[:, col0, col0 + cols). */
        void recurrentProduct(float[] in, int col0, int cols) {
            RecurrentMath.gemm(par, batch, cols, hidden, in, 0, hidden, rT, col0, gh, acc, col0, gh, false);
        }
    }

    private static final class Config {
        String direction;
        int numDirections;
        int hiddenSize;
        int layout;
        float clip;
        RecurrentMath.Activation[][] activations;
        Cell cell;
        /** W and R transposed per direction when they are constants (null otherwise). */
        Transposed w;
        Transposed r;
    }

    /** A constant weight tensor [directions, rows, cols] and each direction's transpose. */
    private static final class Transposed {
        final Tensor source;
        final float[][] perDirection;

        Transposed(Tensor source) {
            this.source = source;
            int rows = source.dim(1);
            int cols = source.dim(2);
            float[] f = source.toFloatArray();
            perDirection = new float[source.dim(0)][];
            for (int d = 0; d < perDirection.length; d++) {
                perDirection[d] = RecurrentMath.transposeEach(f, d * rows * cols, 1, rows, cols);
            }
        }

        static Transposed of(Tensor constant) {
            return constant == null || constant.rank() != 3 ? null : new Transposed(constant);
        }
    }

    /** Direction d of weights t ([directions, rows, cols]) transposed, from the cache when t is the constant. */
    private static float[] transposed(Transposed cache, Tensor t, int d) {
        if (cache != null && cache.source == t) {
            return cache.perDirection[d];
        }
        int rows = t.dim(1);
        int cols = t.dim(2);
        return RecurrentMath.transposeEach(t.toFloatArray(), d * rows * cols, 1, rows, cols);
    }

    /** 2 for bidirectional, else 1. */
    public static int numDirections(String direction) {
        return "bidirectional".equals(direction) ? 2 : 1;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        Config cfg = new Config();
        cfg.direction = ctx.attrs().getString("direction", "forward");
        if (!List.of("forward", "reverse", "bidirectional").contains(cfg.direction)) {
            throw ctx.error("direction must be forward, reverse or bidirectional, not '" + cfg.direction + "'");
        }
        cfg.numDirections = numDirections(cfg.direction);
        cfg.hiddenSize = (int) ctx.attrs().getInt("hidden_size", -1);
        if (ctx.attrs().has("hidden_size") && cfg.hiddenSize <= 0) {
            throw ctx.error("hidden_size must be positive, not " + cfg.hiddenSize);
        }
        cfg.layout = ctx.opset() >= 14 ? (int) ctx.attrs().getInt("layout", 0) : 0;
        if (cfg.layout != 0 && cfg.layout != 1) {
            throw ctx.error("layout must be 0 or 1, not " + cfg.layout);
        }
        // a negative clip means none, as ONNX Runtime's RNN reads it (its default is -1)
        float clip = ctx.attrs().getFloat("clip", -1f);
        cfg.clip = clip >= 0 ? clip : Float.POSITIVE_INFINITY;
        cfg.activations = RecurrentMath.parse(ctx, cfg.numDirections, defaultActivations(), alphaPerDirection());
        cfg.cell = cell(ctx);
        cfg.w = Transposed.of(ctx.constant(1));
        cfg.r = Transposed.of(ctx.constant(2));
        return (in, ec) -> run(cfg, in, ec.parallel());
    }

    private Tensor[] run(Config cfg, Tensor[] in, Parallel par) {
        Tensor xt = in[0];
        if (xt.rank() != 3) {
            throw new IllegalArgumentException("X must have rank 3, found shape " + Shapes.toString(xt.shape()));
        }
        DType dt = xt.dtype();
        if (!dt.isFloatingPoint()) {
            throw new IllegalArgumentException("X must be a floating-point tensor, found " + dt);
        }
        int layout = cfg.layout;
        int seq = xt.dim(layout == 0 ? 0 : 1);
        int batch = xt.dim(layout == 0 ? 1 : 0);
        int input = xt.dim(2);
        int nd = cfg.numDirections;
        int g = gates();
        Tensor wt = in[1];
        Tensor rt = in[2];
        if (rt.rank() != 3) {
            throw new IllegalArgumentException("R must have rank 3, found shape " + Shapes.toString(rt.shape()));
        }
        int hidden = cfg.hiddenSize > 0 ? cfg.hiddenSize : rt.dim(2);
        int gh = g * hidden;
        expectShape("W", wt, nd, gh, input);
        expectShape("R", rt, nd, gh, hidden);
        Tensor bt = input(in, 3);
        if (bt != null) {
            expectShape("B", bt, nd, 2 * gh);
        }
        int[] lengths = lengths(input(in, 4), seq, batch);
        int stateDims0 = layout == 0 ? nd : batch;
        int stateDims1 = layout == 0 ? batch : nd;
        Tensor h0t = input(in, 5);
        if (h0t != null) {
            expectShape("initial_h", h0t, stateDims0, stateDims1, hidden);
        }
        Tensor c0t = g == 4 ? input(in, 6) : null;
        if (c0t != null) {
            expectShape("initial_c", c0t, stateDims0, stateDims1, hidden);
        }
        Tensor pt = g == 4 ? input(in, 7) : null;
        if (pt != null) {
            expectShape("P", pt, nd, 3 * hidden);
        }

        float[] x = xt.toFloatArray();
        if (layout == 1) {
            x = RecurrentMath.swapOuter(x, batch, seq, input);
        }
        float[] b = bt == null ? null : bt.toFloatArray();
        float[] h0 = stateMajor(h0t, layout, nd, batch, hidden);
        float[] c0 = stateMajor(c0t, layout, nd, batch, hidden);
        float[] p = pt == null ? null : pt.toFloatArray();

        int frame = batch * hidden;
        float[] y = new float[seq * nd * frame];
        float[] yh = new float[nd * frame];
        float[] yc = g == 4 ? new float[nd * frame] : null;
        int maxLen = 0;
        for (int len : lengths) {
            maxLen = Math.max(maxLen, len);
        }
        for (int d = 0; d < nd; d++) {
            boolean reverse = "reverse".equals(cfg.direction) || d == 1;
            float[] xw = new float[seq * batch * gh];
            if (b != null) {
                float[] folded = new float[gh];
                cfg.cell.foldBias(b, d * 2 * gh, gh, folded);
                for (int row = 0; row < seq * batch; row++) {
                    System.arraycopy(folded, 0, xw, row * gh, gh);
                }
            }
            float[] wT = transposed(cfg.w, wt, d);
            RecurrentMath.gemm(par, seq * batch, gh, input, x, 0, input, wT, 0, gh, xw, 0, gh, true);
            float[] rT = transposed(cfg.r, rt, d);
            float[] h = new float[frame];
            if (h0 != null) {
                System.arraycopy(h0, d * frame, h, 0, frame);
            }
            float[] c = null;
            if (g == 4) {
                c = new float[frame];
                if (c0 != null) {
                    System.arraycopy(c0, d * frame, c, 0, frame);
                }
            }
            float[] bias = b == null ? null : java.util.Arrays.copyOfRange(b, d * 2 * gh, (d + 1) * 2 * gh);
            float[] peep = p == null ? null : java.util.Arrays.copyOfRange(p, d * 3 * hidden, (d + 1) * 3 * hidden);
            Sweep sw = new Sweep(par, batch, hidden, gh, d, nd, reverse, lengths, xw, rT, bias, peep,
                    cfg.activations[d], cfg.clip, h, c, y);
            for (int s = 0; s < maxLen; s++) {
                cfg.cell.step(sw, s);
            }
            for (int bi = 0; bi < batch; bi++) {
                if (lengths[bi] > 0) {
                    System.arraycopy(h, bi * hidden, yh, d * frame + bi * hidden, hidden);
                    if (c != null) {
                        System.arraycopy(c, bi * hidden, yc, d * frame + bi * hidden, hidden);
                    }
                }
            }
        }

        Tensor[] out = new Tensor[g == 4 ? 3 : 2];
        if (layout == 0) {
            out[0] = output(dt, y, seq, nd, batch, hidden);
            out[1] = output(dt, yh, nd, batch, hidden);
            if (yc != null) {
                out[2] = output(dt, yc, nd, batch, hidden);
            }
        } else {
            out[0] = output(dt, RecurrentMath.swapOuter(y, seq * nd, batch, hidden), batch, seq, nd, hidden);
            out[1] = output(dt, RecurrentMath.swapOuter(yh, nd, batch, hidden), batch, nd, hidden);
            if (yc != null) {
                out[2] = output(dt, RecurrentMath.swapOuter(yc, nd, batch, hidden), batch, nd, hidden);
            }
        }
        return out;
    }

    private static Tensor input(Tensor[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    /** Per-batch lengths from sequence_lens, or the full length for every entry. */
    private static int[] lengths(Tensor t, int seq, int batch) {
        int[] out = new int[batch];
        if (t == null) {
            java.util.Arrays.fill(out, seq);
            return out;
        }
        expectShape("sequence_lens", t, batch);
        for (int i = 0; i < batch; i++) {
            long v = t.getLong(i);
            if (v < 0 || v > seq) {
                throw new IllegalArgumentException("sequence_lens[" + i + "] is " + v
                        + "; every length must be between 0 and the sequence length " + seq);
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** initial_h / initial_c as [directions][batch][H] floats, or null. */
    private static float[] stateMajor(Tensor t, int layout, int nd, int batch, int hidden) {
        if (t == null) {
            return null;
        }
        float[] f = t.toFloatArray();
        return layout == 0 ? f : RecurrentMath.swapOuter(f, batch, nd, hidden);
    }

    private static void expectShape(String name, Tensor t, int... shape) {
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + Shapes.toString(shape) + ", found "
                    + Shapes.toString(t.shape()));
        }
    }

    private static Tensor output(DType dt, float[] data, int... shape) {
        if (dt == DType.FLOAT) {
            return Tensor.of(data, shape);
        }
        Tensor t = Tensor.allocate(dt, shape);
        for (int i = 0; i < data.length; i++) {
            t.setDouble(i, data[i]);
        }
        return t;
    }
}
