package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.util.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Math shared by LSTM, GRU and RNN: their activation functions (with the alpha/beta rules of ONNX
 * Runtime), a small float GEMM against pre-transposed weights, and data layout helpers.
 */
public final class RecurrentMath {
    private RecurrentMath() {
    }

    /** The activation functions an ONNX recurrent op may name. */
    enum Kind {
        SIGMOID(false, false, 0f, 0f),
        TANH(false, false, 0f, 0f),
        RELU(false, false, 0f, 0f),
        AFFINE(true, true, 0f, 0f),
        LEAKYRELU(true, false, 0.01f, 0f),
        THRESHOLDEDRELU(true, false, 0f, 0f),
        SCALEDTANH(true, true, 0f, 0f),
        HARDSIGMOID(true, true, 0.2f, 0.5f),
        ELU(true, false, 1f, 0f),
        SOFTSIGN(false, false, 0f, 0f),
        SOFTPLUS(false, false, 0f, 0f);

        final boolean usesAlpha;
        final boolean usesBeta;
        /** Defaults when activation_alpha/beta run out (ONNX Runtime's table; 0 where it has none). */
        final float defaultAlpha;
        final float defaultBeta;

        Kind(boolean usesAlpha, boolean usesBeta, float defaultAlpha, float defaultBeta) {
            this.usesAlpha = usesAlpha;
            this.usesBeta = usesBeta;
            this.defaultAlpha = defaultAlpha;
            this.defaultBeta = defaultBeta;
        }

        static Kind byName(String name) {
            for (Kind k : values()) {
                if (k.name().equals(name.toUpperCase(Locale.ROOT))) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One activation function with its parameters. */
    public static final class Activation {
        final Kind kind;
        final float alpha;
        final float beta;

        Activation(Kind kind, float alpha, float beta) {
            this.kind = kind;
            this.alpha = alpha;
            this.beta = beta;
        }

        float apply(float x) {
            switch (kind) {
                case SIGMOID: return sigmoid(x);
                case TANH: return (float) Math.tanh(x);
                case RELU: return x > 0 ? x : (x == x ? 0f : x);
                case AFFINE: return alpha * x + beta;
                case LEAKYRELU: return x >= 0 ? x : alpha * x;
                case THRESHOLDEDRELU: return x > alpha ? x : (x == x ? 0f : x);
                case SCALEDTANH: return alpha * (float) Math.tanh(beta * x);
                case HARDSIGMOID: return Math.min(1f, Math.max(0f, alpha * x + beta));
                case ELU: return x >= 0 ? x : alpha * (float) Math.expm1(x);
                case SOFTSIGN: return x / (1 + Math.abs(x));
                case SOFTPLUS: return (float) Math.log1p(Math.exp(x));
                default: throw new IllegalStateException(kind.toString());
            }
        }

        /** Applies the function in place to a[off, off + n). */
        void apply(float[] a, int off, int n) {
            int end = off + n;
            switch (kind) {
                case SIGMOID:
                    for (int i = off; i < end; i++) a[i] = sigmoid(a[i]);
                    break;
                case TANH:
                    for (int i = off; i < end; i++) a[i] = (float) Math.tanh(a[i]);
                    break;
                default:
                    for (int i = off; i < end; i++) a[i] = apply(a[i]);
            }
        }

        @Override
        public String toString() {
            return kind + "(" + alpha + ", " + beta + ")";
        }
    }

    static float sigmoid(float x) {
        return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }

    /**
     * Parses activations/activation_alpha/activation_beta into [direction][function]. Without
     * {@code activations} the defaults apply to every direction. With alphaPerDirection (ONNX
     * Runtime's RNN) alpha and beta hold one value per direction and default to 0; otherwise (LSTM,
     * GRU) the functions that take alpha or beta consume the lists in order, falling back to each
     * function's default.
     */
    public static Activation[][] parse(KernelContext ctx, int numDirections, List<String> defaults, boolean alphaPerDirection) {
        int per = defaults.size();
        List<String> names = ctx.attrs().getStrings("activations", null);
        if (names == null) {
            names = new ArrayList<>();
            for (int d = 0; d < numDirections; d++) {
                names.addAll(defaults);
            }
        } else if (numDirections == 1 && names.size() == 2 * per) {
            names = names.subList(0, per); // two directions' worth for one direction: the first ones apply
        } else if (names.size() != per * numDirections) {
            throw ctx.error("activations should list " + per * numDirections + " functions (" + per
                    + " per direction, e.g. " + defaults + ") but lists " + names.size() + ": " + names);
        }
        float[] alphas = ctx.attrs().getFloats("activation_alpha", new float[0]);
        float[] betas = ctx.attrs().getFloats("activation_beta", new float[0]);
        Activation[][] out = new Activation[numDirections][per];
        int ai = 0;
        int bi = 0;
        for (int i = 0; i < names.size(); i++) {
            Kind k = Kind.byName(names.get(i));
            if (k == null) {
                throw ctx.error("unknown activation '" + names.get(i) + "'; expected one of Sigmoid, Tanh, Relu,"
                        + " Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus");
            }
            int d = i / per;
            float alpha;
            float beta;
            if (alphaPerDirection) {
                alpha = d < alphas.length ? alphas[d] : 0f;
                beta = d < betas.length ? betas[d] : 0f;
            } else {
                alpha = 0f;
                beta = 0f;
                if (k.usesAlpha) {
                    alpha = ai < alphas.length ? alphas[ai++] : k.defaultAlpha;
                }
                if (k.usesBeta) {
                    beta = bi < betas.length ? betas[bi++] : k.defaultBeta;
                }
            }
            out[d][i % per] = new Activation(k, alpha, beta);
        }
        return out;
    }

    /** Clips a[off, off + n) to [-clip, clip] (NaN stays NaN). */
    static void clip(float[] a, int off, int n, float clip) {
        if (clip == Float.POSITIVE_INFINITY) {
            return;
        }
        for (int i = off, end = off + n; i < end; i++) {
            float x = a[i];
            if (x > clip) {
                a[i] = clip;
            } else if (x < -clip) {
                a[i] = -clip;
            }
        }
    }

    /**
     * Transposes each of {@code count} row-major [rows x cols] matrices stored one after another in
     * src (from srcOff) into [cols x rows]; the result holds the matrices one after another.
     */
    static float[] transposeEach(float[] src, int srcOff, int count, int rows, int cols) {
        float[] out = new float[count * rows * cols];
        for (int m = 0; m < count; m++) {
            int s = srcOff + m * rows * cols;
            int o = m * rows * cols;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[o + c * rows + r] = src[s + r * cols + c];
                }
            }
        }
        return out;
    }

    /** Swaps the two outer axes of [a][b][inner] data: the result is [b][a][inner]. */
    static float[] swapOuter(float[] src, int a, int b, int inner) {
        float[] out = new float[a * b * inner];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(src, (i * b + j) * inner, out, (j * a + i) * inner, inner);
            }
        }
        return out;
    }

    /** Columns per task when a product is split over columns. */
    private static final int COLUMN_BLOCK = 64;
    /** Products smaller than this many multiply-adds run on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 17;

    /**
     * c[i][j] (+)= sum_p a[i][p] * b[p][j] for i in [0, m), j in [0, n), p in [0, k); b is the
     * transposed weight ([k][ldb], columns from bOff), all row-major with the given leading dims.
     * Large products are split over rows or columns on the parallel pool.
     */
    static void gemm(Parallel par, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        long work = (long) m * n * k;
        if (par.threads() == 1 || work < PARALLEL_WORK) {
            gemmRange(m, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (m >= 4 * par.threads()) {
            int grain = Math.max(1, m / (4 * par.threads()));
            par.forRange(m, grain, (from, to) -> gemmRange(to - from, 0, n, k, a, aOff + from * lda, lda,
                    b, bOff, ldb, c, cOff + from * ldc, ldc, accumulate));
        } else {
            int blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
            par.forRange(blocks, 1, (from, to) -> gemmRange(m, from * COLUMN_BLOCK,
                    Math.min(n, to * COLUMN_BLOCK), k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate));
        }
    }

    /** Single-threaded {@link #gemm} over the columns [n0, n1). */
    static void gemmRange(int m, int n0, int n1, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        final int block = 512;
        for (int j0 = n0; j0 < n1; j0 += block) {
            int j1 = Math.min(n1, j0 + block);
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (!accumulate) {
                    java.util.Arrays.fill(c, ci + j0, ci + j1, 0f);
                }
                int ai = aOff + i * lda;
                int p = 0;
                // four rows of b per pass: a quarter of the loads and stores of c
                for (; p + 3 < k; p += 4) {
                    float a0 = a[ai + p];
                    float a1 = a[ai + p + 1];
                    float a2 = a[ai + p + 2];
                    float a3 = a[ai + p + 3];
                    int b0 = bOff + p * ldb;
                    int b1 = b0 + ldb;
                    int b2 = b1 + ldb;
                    int b3 = b2 + ldb;
                    for (int j = j0; j < j1; j++) {
                        c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                    }
                }
                for (; p < k; p++) {
                    float av = a[ai + p];
                    int bp = bOff + p * ldb;
                    for (int j = j0; j < j1; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        }
    }
}
