package dev.kiln.core.ops;

import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What If, Loop and Scan share: subgraph lookup, type unions, slicing and stacking along an axis. */
final class ControlFlow {
    private ControlFlow() {
    }

    /** The graph attribute, or an error naming it. */
    static Graph graph(OpContext ctx, String attr) {
        Graph g = ctx.attrs().getGraph(attr);
        if (g == null) {
            throw ctx.error("attribute '" + attr + "' (a graph) is missing");
        }
        return g;
    }

    /** The subgraph's output types: inferred from the given input types, or as declared. */
    static List<TensorType> infer(OpContext ctx, Graph g, List<TensorType> inputTypes) {
        List<TensorType> out = ctx.inferSubgraph(g, inputTypes);
        if (out == null) {
            out = new ArrayList<>();
            for (Value v : g.outputs()) {
                out.add(v.type());
            }
        }
        return out;
    }

    /** A type that covers both: dims kept where they agree, unknown elsewhere; the rank only if equal. */
    static TensorType union(TensorType a, TensorType b) {
        DType dt = a.dtype() != null ? a.dtype() : b.dtype();
        if (!a.hasRank() || !b.hasRank() || a.rank() != b.rank()) {
            return TensorType.unranked(dt);
        }
        Dim[] dims = new Dim[a.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = a.dim(i).equals(b.dim(i)) ? a.dim(i) : Dim.UNKNOWN;
        }
        return new TensorType(dt, dims);
    }

    /** Only the element type of t (shapes that may change from one iteration to the next). */
    static TensorType elementTypeOnly(TensorType t) {
        return TensorType.unranked(t.dtype());
    }

    /** t with dimension axis removed; unknown rank stays unknown. */
    static TensorType removeAxis(TensorType t, int axis) {
        if (!t.hasRank() || axis < 0 || axis >= t.rank()) {
            return TensorType.unranked(t.dtype());
        }
        Dim[] d = t.dims();
        Dim[] out = new Dim[d.length - 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            if (i != axis) {
                out[j++] = d[i];
            }
        }
        return new TensorType(t.dtype(), out);
    }

    /** t with dim inserted at axis (which may be negative, counted in the result's rank). */
    static TensorType insertAxis(TensorType t, int axis, Dim dim) {
        if (!t.hasRank()) {
            return TensorType.unranked(t.dtype());
        }
        Dim[] d = t.dims();
        int a = axis < 0 ? axis + d.length + 1 : axis;
        if (a < 0 || a > d.length) {
            return TensorType.unranked(t.dtype());
        }
        Dim[] out = new Dim[d.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? dim : d[j++];
        }
        return new TensorType(t.dtype(), out);
    }

    /** Element index along axis of t (a copy with that axis removed). */
    static Tensor slice(Tensor t, int axis, int index) {
        int[] s = t.shape();
        int outer = Shapes.product(s, 0, axis);
        int len = s[axis];
        int inner = Shapes.product(s, axis + 1, s.length);
        int[] shape = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != axis) {
                shape[j++] = s[i];
            }
        }
        Tensor out = Tensor.allocate(t.dtype(), shape);
        for (int o = 0; o < outer; o++) {
            out.copyFrom(t, (o * len + index) * inner, o * inner, inner);
        }
        return out;
    }

    /**
     * Stacks equally shaped tensors along a new axis: part i lands at position i, or at
     * count - 1 - i when reversed.
     */
    static Tensor stack(List<Tensor> parts, int axis, boolean reversed, String what) {
        Tensor first = parts.get(0);
        int[] s = first.shape();
        for (Tensor p : parts) {
            if (p.dtype() != first.dtype() || !Arrays.equals(p.shape(), s)) {
                throw new IllegalArgumentException(what + ": iterations produced different shapes or types ("
                        + first.dtype() + " " + Shapes.toString(s) + " and " + p.dtype() + " "
                        + Shapes.toString(p.shape()) + ")");
            }
        }
        int n = parts.size();
        int outer = Shapes.product(s, 0, axis);
        int inner = Shapes.product(s, axis, s.length);
        int[] shape = new int[s.length + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            shape[i] = i == axis ? n : s[j++];
        }
        Tensor out = Tensor.allocate(first.dtype(), shape);
        for (int i = 0; i < n; i++) {
            int pos = reversed ? n - 1 - i : i;
            Tensor p = parts.get(i);
            for (int o = 0; o < outer; o++) {
                out.copyFrom(p, o * inner, (o * n + pos) * inner, inner);
            }
        }
        return out;
    }

    /** The single element of a boolean (or numeric) condition tensor. */
    static boolean condition(Tensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must hold exactly one element, found shape "
                    + Shapes.toString(t.shape()));
        }
        return t.getBool(0);
    }

    /** Rank (0 or 1) a subgraph expects for a scalar input, from its declared type; 0 when unknown. */
    static int[] scalarShape(Value input) {
        TensorType t = input.type();
        return t.hasRank() && t.rank() == 1 ? new int[] {1} : Shapes.SCALAR;
    }
}
