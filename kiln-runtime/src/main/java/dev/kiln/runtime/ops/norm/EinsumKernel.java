package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.norm.ReduceKernel.Kind;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Einsum (opset 12): Einstein summation over any number of operands. Each operand first has its
 * repeated labels reduced to the diagonal, size-1 dimensions broadcast against other operands
 * dropped, and labels used nowhere else summed out; operands are then contracted left to right as
 * batched matrix products (permute to [batch, free, contracted], multiply, in double), and the
 * result is summed and permuted to the output labels. "..." stands for broadcast leading
 * dimensions. Without "->", the output is the ellipsis dimensions followed by the labels that
 * appear once in character order (A-Z, then a-z), as numpy orders them.
 */
public final class EinsumKernel extends NamedFactory {
    public static final EinsumKernel INSTANCE = new EinsumKernel();

    /** Label ids: 0-25 for a-z, 26-51 for A-Z, 52 + i for the i-th ellipsis dimension. */
    private static final int ELLIPSIS = 52;

    private EinsumKernel() {
        super("Einsum", 107);
    }

    /** The equation's terms with spaces removed; output null when implicit. */
    public static final class Equation {
        /** The input terms, one per operand. */
        public final String[] inputs;
        /** The output term, or null when implicit. */
        public final String output;

        private Equation(String[] inputs, String output) {
            this.inputs = inputs;
            this.output = output;
        }

        /** Parses an equation; IllegalArgumentException when it is malformed. */
        public static Equation parse(String eq) {
            String s = eq.replaceAll("\\s", "");
            String lhs = s, out = null;
            int arrow = s.indexOf("->");
            if (arrow >= 0) {
                lhs = s.substring(0, arrow);
                out = s.substring(arrow + 2);
                checkTerm(out, eq);
            }
            String[] terms = lhs.split(",", -1);
            for (String t : terms) {
                checkTerm(t, eq);
            }
            return new Equation(terms, out);
        }

        private static void checkTerm(String t, String eq) {
            String rest = t.replaceFirst("\\.\\.\\.", "");
            for (char c : rest.toCharArray()) {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                    throw new IllegalArgumentException("invalid Einsum equation '" + eq + "': unexpected '" + c
                            + "' in term '" + t + "'");
                }
            }
        }
    }

    private static int letterId(char c) {
        return c >= 'a' && c <= 'z' ? c - 'a' : 26 + (c - 'A');
    }

    /** Label lists for operands of the given ranks; the last entry is the output's. */
    public static int[][] labels(Equation e, int[] ranks, String eq) {
        int n = e.inputs.length;
        int[] ellDims = new int[n];
        int ellRank = 0;
        for (int i = 0; i < n; i++) {
            String t = e.inputs[i];
            boolean ell = t.contains("...");
            int letters = t.length() - (ell ? 3 : 0);
            ellDims[i] = ranks[i] - letters;
            if (ell ? ellDims[i] < 0 : ellDims[i] != 0) {
                throw new IllegalArgumentException("Einsum term '" + t + "' of '" + eq + "' does not match input "
                        + i + " of rank " + ranks[i]);
            }
            ellRank = Math.max(ellRank, ellDims[i]);
        }
        int[][] out = new int[n + 1][];
        int[] count = new int[ELLIPSIS];
        for (int i = 0; i < n; i++) {
            out[i] = termLabels(e.inputs[i], ellDims[i], ellRank);
            for (int l : out[i]) {
                if (l < ELLIPSIS) count[l]++;
            }
        }
        if (e.output != null) {
            if (ellRank > 0 && !e.output.contains("...")) {
                throw new IllegalArgumentException("Einsum '" + eq + "': the inputs have ellipsis dimensions but the"
                        + " output term has no '...'");
            }
            out[n] = termLabels(e.output, ellRank, ellRank);
            boolean[] seen = new boolean[ELLIPSIS + ellRank];
            for (int l : out[n]) {
                if (seen[l]) {
                    throw new IllegalArgumentException("Einsum output label repeated in '" + eq + "'");
                }
                if (l < ELLIPSIS && count[l] == 0) {
                    throw new IllegalArgumentException("Einsum output label '" + e.output + "' of '" + eq
                            + "' does not appear in any input");
                }
                seen[l] = true;
            }
        } else {
            List<Integer> o = new ArrayList<>();
            for (int j = 0; j < ellRank; j++) o.add(ELLIPSIS + j);
            // sorted like numpy (and the ONNX reference): A-Z before a-z
            for (int k = 0; k < ELLIPSIS; k++) {
                int l = (k + 26) % ELLIPSIS;
                if (count[l] == 1) o.add(l);
            }
            out[n] = o.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private static int[] termLabels(String t, int ellDims, int ellRank) {
        int[] l = new int[t.length() - (t.contains("...") ? 3 - ellDims : 0)];
        int k = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                for (int j = 0; j < ellDims; j++) l[k++] = ELLIPSIS + ellRank - ellDims + j;
                i += 2;
            } else {
                l[k++] = letterId(c);
            }
        }
        return l;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        final String eq = ctx.attrs().getString("equation", "");
        final Equation e;
        try {
            e = Equation.parse(eq);
        } catch (IllegalArgumentException ex) {
            throw ctx.error(ex.getMessage());
        }
        return (in, ec) -> {
            int n = in.length;
            if (n != e.inputs.length) {
                throw new IllegalArgumentException("Einsum '" + eq + "' expects " + e.inputs.length + " inputs, found " + n);
            }
            DType dtype = in[0].dtype();
            int[] ranks = new int[n];
            for (int i = 0; i < n; i++) {
                if (in[i].dtype() != dtype) {
                    throw new IllegalArgumentException("Einsum inputs have different element types: " + dtype
                            + " and " + in[i].dtype());
                }
                ranks[i] = in[i].rank();
            }
            if (dtype == DType.BOOL || !(dtype.isFloatingPoint() || dtype.isInteger())) {
                throw new IllegalArgumentException("Einsum does not accept " + dtype + " tensors");
            }
            int[][] lab = labels(e, ranks, eq);
            int[] outLabels = lab[n];
            int[] size = labelSizes(in, lab, eq);
            Operand[] ops = new Operand[n];
            for (int i = 0; i < n; i++) {
                ops[i] = new Operand(in[i].castTo(DType.DOUBLE), lab[i]).diagonal().dropBroadcast(size);
            }
            for (int i = 0; i < n; i++) {
                ops[i] = ops[i].sumOutExcept(labelsElsewhere(ops, i, outLabels, false), ec);
            }
            Operand r = ops[0];
            for (int i = 1; i < n; i++) {
                r = contract(r, ops[i], labelsElsewhere(ops, i, outLabels, true), ec);
            }
            r = r.sumOutExcept(outLabels, ec);
            int[] perm = new int[outLabels.length];
            int[] outShape = new int[outLabels.length];
            for (int o = 0; o < outLabels.length; o++) {
                perm[o] = indexOf(r.labels, outLabels[o]);
                outShape[o] = size[outLabels[o]];
            }
            Tensor result = isIdentity(perm) ? r.t : Reduction.permute(r.t, perm);
            return new Tensor[] {result.reshape(outShape).castTo(dtype)};
        };
    }

    /** Size of every label, checking that operands agree (1 broadcasts). */
    private static int[] labelSizes(Tensor[] in, int[][] lab, String eq) {
        int[] size = new int[ELLIPSIS + 64];
        Arrays.fill(size, -1);
        for (int i = 0; i < in.length; i++) {
            for (int a = 0; a < lab[i].length; a++) {
                int l = lab[i][a], d = in[i].dim(a);
                if (size[l] < 0 || size[l] == 1) {
                    size[l] = d;
                } else if (d != 1 && d != size[l]) {
                    throw new IllegalArgumentException("Einsum '" + eq + "': dimension " + d + " of input " + i
                            + " does not match " + size[l] + " for the same label");
                }
            }
        }
        return size;
    }

    /**
     * The output's labels and those of the operands {@code j != i} (all of them, or only those after
     * i when {@code onlyLater}).
     */
    private static int[] labelsElsewhere(Operand[] ops, int i, int[] out, boolean onlyLater) {
        List<Integer> keep = new ArrayList<>();
        for (int l : out) keep.add(l);
        for (int j = onlyLater ? i + 1 : 0; j < ops.length; j++) {
            if (j != i) {
                for (int l : ops[j].labels) keep.add(l);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Operand contract(Operand a, Operand b, int[] keep, ExecContext ec) {
        List<Integer> batch = new ArrayList<>(), aFree = new ArrayList<>(), summed = new ArrayList<>(),
                bFree = new ArrayList<>();
        for (int l : a.labels) {
            if (indexOf(b.labels, l) >= 0) {
                (indexOf(keep, l) >= 0 ? batch : summed).add(l);
            } else {
                aFree.add(l);
            }
        }
        for (int l : b.labels) {
            if (indexOf(a.labels, l) < 0) bFree.add(l);
        }
        int bs = a.product(batch), m = a.product(aFree), k = a.product(summed), nn = b.product(bFree);
        double[] x = a.arrange(batch, aFree, summed), y = b.arrange(batch, summed, bFree);
        double[] z = new double[bs * m * nn];
        ec.parallel().forRange(bs * m, Math.max(1, (1 << 14) / Math.max(1, k * nn)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int bi = row / m;
                int xOff = row * k, zOff = row * nn, yBase = bi * k * nn;
                for (int p = 0; p < k; p++) {
                    double v = x[xOff + p];
                    if (v == 0) continue;
                    int yOff = yBase + p * nn;
                    for (int j = 0; j < nn; j++) z[zOff + j] += v * y[yOff + j];
                }
            }
        });
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(aFree);
        labels.addAll(bFree);
        int[] shape = new int[labels.size()];
        for (int i = 0; i < shape.length; i++) {
            int l = labels.get(i);
            int ia = indexOf(a.labels, l);
            shape[i] = ia >= 0 ? a.t.dim(ia) : b.t.dim(indexOf(b.labels, l));
        }
        return new Operand(Tensor.ofDoubles(z, shape), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) return i;
        }
        return -1;
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) return false;
        }
        return true;
    }

    /** A double tensor with one label per axis. */
    private static final class Operand {
        final Tensor t;
        final int[] labels;

        Operand(Tensor t, int[] labels) {
            this.t = t;
            this.labels = labels;
        }

        int product(List<Integer> ls) {
            int p = 1;
            for (int l : ls) p *= t.dim(indexOf(labels, l));
            return p;
        }

        /** Repeated labels reduced to the diagonal (e.g. "ii" -> "i"). */
        Operand diagonal() {
            int[] uniq = Arrays.stream(labels).distinct().toArray();
            if (uniq.length == labels.length) {
                return this;
            }
            int[] shape = new int[uniq.length];
            int[] strides = Shapes.strides(t.shape());
            int[] srcStride = new int[uniq.length];
            for (int a = 0; a < labels.length; a++) {
                int u = indexOf(uniq, labels[a]);
                if (srcStride[u] != 0 && shape[u] != t.dim(a)) {
                    throw new IllegalArgumentException("Einsum diagonal over dimensions of different sizes "
                            + shape[u] + " and " + t.dim(a));
                }
                shape[u] = t.dim(a);
                srcStride[u] += strides[a];
            }
            int n = Shapes.size(shape);
            int[] index = new int[n];
            int[] counter = new int[shape.length];
            int src = 0;
            for (int i = 0; i < n; i++) {
                index[i] = src;
                for (int d = shape.length - 1; d >= 0; d--) {
                    counter[d]++;
                    src += srcStride[d];
                    if (counter[d] < shape[d]) break;
                    src -= srcStride[d] * counter[d];
                    counter[d] = 0;
                }
            }
            return new Operand(t.gather(index, shape), uniq);
        }

        /** Drops size-1 axes whose label is larger elsewhere (broadcast). */
        Operand dropBroadcast(int[] size) {
            List<Integer> keep = new ArrayList<>();
            for (int a = 0; a < labels.length; a++) {
                if (!(t.dim(a) == 1 && size[labels[a]] != 1)) keep.add(a);
            }
            if (keep.size() == labels.length) {
                return this;
            }
            int[] shape = new int[keep.size()], l = new int[keep.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.dim(keep.get(i));
                l[i] = labels[keep.get(i)];
            }
            return new Operand(t.reshape(shape), l);
        }

        /** Sums out every axis whose label is not in keep. */
        Operand sumOutExcept(int[] keep, ExecContext ec) {
            boolean[] mask = new boolean[labels.length];
            List<Integer> kept = new ArrayList<>();
            boolean any = false;
            for (int a = 0; a < labels.length; a++) {
                mask[a] = indexOf(keep, labels[a]) < 0;
                any |= mask[a];
                if (!mask[a]) kept.add(labels[a]);
            }
            if (!any) {
                return this;
            }
            Tensor s = ReduceKernel.reduce(Kind.SUM, t, mask, false, ec);
            return new Operand(s, kept.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The data permuted to the order of the three label groups (copied only when needed). */
        double[] arrange(List<Integer> g1, List<Integer> g2, List<Integer> g3) {
            int[] perm = new int[labels.length];
            int k = 0;
            for (List<Integer> g : List.of(g1, g2, g3)) {
                for (int l : g) perm[k++] = indexOf(labels, l);
            }
            return isIdentity(perm) ? t.doubles() : Reduction.permute(t, perm).doubles();
        }
    }
}
