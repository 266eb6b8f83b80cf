package dev.kiln.core.passes;

import dev.kiln.core.ir.Attribute;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * Folds a per-output-channel affine map {@code y' = y * a[c] + b[c]} into the constant weights
 * and bias of the Conv, ConvTranspose or Gemm computing y (channel = axis 1 of y). Shared by the
 * BatchNormalization and Mul/Add folding passes.
 *
 * <pre>
 * Conv           W[c, ...]  *= a[c]                          bias[c] = bias[c] * a[c] + b[c]
 * ConvTranspose  W[i, j, ...] *= a[c], c = (i / (Cin/group)) * (Cout/group) + j, bias as Conv
 * Gemm           column c of B' *= a[c] (alpha kept)         C'[m, c] = beta * C[m, c] * a[c] + b[c], beta = 1
 * </pre>
 * Computed in double, rounded to float32 once.
 */
final class ChannelAffine {
    private ChannelAffine() {
    }

    /**
     * The number of output channels when p's weights can absorb a per-channel map: float32
     * constant weight and (if present) bias, opset 7 or later for Gemm; else -1.
     */
    static int channels(Node p, PassContext ctx) {
        Tensor w = Rewrites.constantInput(p, 1);
        if (w == null || w.dtype() != DType.FLOAT || !p.domain().isEmpty()) {
            return -1;
        }
        Tensor bias = p.hasInput(2) ? Rewrites.constantInput(p, 2) : null;
        if (p.hasInput(2) && (bias == null || bias.dtype() != DType.FLOAT)) {
            return -1;
        }
        switch (p.opType()) {
            case "Conv": {
                int c = w.rank() >= 3 ? w.dim(0) : -1;
                return bias == null || bias.size() == c ? c : -1;
            }
            case "ConvTranspose": {
                long group = p.attrs().getInt("group", 1);
                if (w.rank() < 3 || group <= 0 || w.dim(0) % group != 0) {
                    return -1;
                }
                int c = (int) (w.dim(1) * group);
                return bias == null || bias.size() == c ? c : -1;
            }
            case "Gemm": {
                if (w.rank() != 2 || ctx.opset(p) < 7) {
                    return -1;
                }
                int c = p.attrs().getInt("transB", 0) != 0 ? w.dim(0) : w.dim(1);
                if (bias != null && (bias.rank() > 2 || (bias.rank() > 0 && bias.dim(bias.rank() - 1) != c
                        && bias.dim(bias.rank() - 1) != 1))) {
                    return -1;
                }
                return c;
            }
            default:
                return -1;
        }
    }

    /** Applies y' = y * a + b per channel (a null: 1, b null: 0); p must have passed {@link #channels}. */
    static void apply(Graph g, Node p, double[] a, double[] b) {
        Tensor w = Rewrites.constantInput(p, 1);
        if (a != null) {
            Rewrites.setConstantInput(g, p, 1, scaledWeights(p, w, a), p.name() + "_weight");
        }
        if (p.opType().equals("Gemm")) {
            applyGemmBias(g, p, a, b);
            return;
        }
        Tensor bias = p.hasInput(2) ? Rewrites.constantInput(p, 2) : null;
        if (bias == null && b == null) {
            return;
        }
        int c = a != null ? a.length : b.length;
        double[] nb = new double[c];
        for (int i = 0; i < c; i++) {
            double old = bias == null ? 0 : bias.getDouble(i);
            nb[i] = old * (a == null ? 1 : a[i]) + (b == null ? 0 : b[i]);
        }
        Rewrites.setConstantInput(g, p, 2, Rewrites.floats(nb, c), p.name() + "_bias");
    }

    private static Tensor scaledWeights(Node p, Tensor w, double[] a) {
        float[] src = w.floats();
        float[] dst = new float[w.size()];
        int c = a.length;
        switch (p.opType()) {
            case "Conv": {
                int per = w.size() / w.dim(0);
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = (float) (src[i] * a[i / per]);
                }
                break;
            }
            case "ConvTranspose": {
                int cin = w.dim(0), coutPerGroup = w.dim(1);
                int inner = w.size() / (cin * coutPerGroup);
                int cinPerGroup = cin / (c / coutPerGroup);
                for (int i = 0; i < dst.length; i++) {
                    int block = i / inner;
                    int ci = block / coutPerGroup, j = block % coutPerGroup;
                    dst[i] = (float) (src[i] * a[(ci / cinPerGroup) * coutPerGroup + j]);
                }
                break;
            }
            default: {
                boolean transB = p.attrs().getInt("transB", 0) != 0;
                int cols = w.dim(1);
                for (int i = 0; i < dst.length; i++) {
                    dst[i] = (float) (src[i] * a[transB ? i / cols : i % cols]);
                }
            }
        }
        return Tensor.of(dst, w.shape());
    }

    private static void applyGemmBias(Graph g, Node p, double[] a, double[] b) {
        Tensor cOld = p.hasInput(2) ? Rewrites.constantInput(p, 2) : null;
        if (cOld == null && b == null) {
            return;
        }
        int c = a != null ? a.length : b.length;
        double beta = p.attrs().getFloat("beta", 1f);
        int rows = cOld != null && cOld.rank() == 2 ? cOld.dim(0) : 1;
        boolean perColumn = cOld != null && cOld.rank() > 0 && cOld.dim(cOld.rank() - 1) == c;
        double[] nc = new double[rows * c];
        for (int m = 0; m < rows; m++) {
            for (int n = 0; n < c; n++) {
                double old = cOld == null ? 0 : beta * cOld.getDouble(cOld.size() == 1 ? 0 : perColumn ? m * c + n : m);
                nc[m * c + n] = old * (a == null ? 1 : a[n]) + (b == null ? 0 : b[n]);
            }
        }
        Tensor t = cOld != null && cOld.rank() == 2 ? Rewrites.floats(nc, rows, c) : Rewrites.floats(nc, c);
        Rewrites.setConstantInput(g, p, 2, t, p.name() + "_bias");
        p.attrs().put(Attribute.of("beta", 1f));
    }

    /**
     * The per-channel values of a constant broadcast against an output of the given rank whose
     * axis 1 has {@code channels} entries: one value per channel, or null when the constant varies
     * along another axis, has a higher rank, or is not float32.
     */
    static double[] perChannel(Tensor k, int outRank, int channels) {
        if (k == null || k.dtype() != DType.FLOAT || k.rank() > outRank) {
            return null;
        }
        boolean varies = false;
        for (int i = 0; i < k.rank(); i++) {
            int axis = outRank - k.rank() + i;
            int d = k.dim(i);
            if (axis == 1 && d == channels && d != 1) {
                varies = true;
            } else if (d != 1) {
                return null;
            }
        }
        double[] v = new double[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = k.getDouble(varies ? c : 0);
        }
        return v;
    }
}
