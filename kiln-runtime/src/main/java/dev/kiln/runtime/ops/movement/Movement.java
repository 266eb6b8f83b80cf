package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

import java.util.Arrays;

/**
 * Data movement shared by the shape and indexing operators (Transpose, Slice, Pad, Tile, Gather,
 * Concat...). Every copy is type-generic: contiguous runs move with {@code System.arraycopy},
 * whatever the storage array, and element-by-element paths switch once per row on the storage
 * class, never per element.
 */
public final class Movement {
    private Movement() {
    }

    /** Elements per parallel task; smaller copies run on the calling thread. */
    public static final int GRAIN = 1 << 15;

    /** Contiguous runs shorter than this on average are copied element by element instead of by arraycopy. */
    private static final int MIN_RUN = 8;

    /** Rows shorter than this are folded with the dim above them... */
    private static final int SHORT_ROW = 64;

    /** ...as long as the folded offset table stays this small. */
    private static final int MAX_FOLDED_ROW = 8192;

    /** Side of the square tiles of the blocked transpose. */
    private static final int TILE = 32;

    /**
     * Strided copy: element (i_0, ..., i_{r-1}) of the result (of the given shape) is
     * {@code src[offset + i_0 * strides[0] + ... + i_{r-1} * strides[r-1]]}. Transpose, Slice,
     * Expand (stride 0) and the depth/space reorderings are all this. Adjacent dimensions that step
     * uniformly are merged first, so a slice of whole rows is a few long copies.
     */
    public static Tensor strided(Tensor src, int offset, int[] shape, int[] strides, Parallel par) {
        int n = Shapes.size(shape);
        if (n == 0) {
            return Tensor.allocate(src.dtype(), shape);
        }
        int r = shape.length;
        int[] s = new int[r];
        int[] st = new int[r];
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (m > 0 && st[m - 1] == strides[d] * shape[d]) {
                s[m - 1] *= shape[d];
                st[m - 1] = strides[d];
            } else {
                s[m] = shape[d];
                st[m] = strides[d];
                m++;
            }
        }
        if (m == 0) {
            Tensor out = Tensor.allocate(src.dtype(), shape);
            out.copyFrom(src, offset, 0, 1);
            return out;
        }
        s = Arrays.copyOf(s, m);
        st = Arrays.copyOf(st, m);
        if (st[m - 1] == 1 && (m == 1 || s[m - 1] >= SHORT_ROW)) {
            return contiguousRows(src, offset, s, st, par).reshape(shape);
        }
        if (m >= 2 && st[m - 1] != 1 && s[m - 1] >= 2 && src.dtype().isFloatStorage()) {
            for (int j = m - 2; j >= 0; j--) {
                if (st[j] == 1 && s[j] >= 4) {
                    return tiledTranspose(src, offset, s, st, j, par).reshape(shape);
                }
            }
        }
        // gather() reads negative offsets as "fill": make every dim but the first count from its lowest
        // address, and move the difference into the first dim's offsets (which stay >= 0)
        int base = offset;
        for (int d = 1; d < m; d++) {
            if (st[d] < 0) {
                base += (s[d] - 1) * st[d];
            }
        }
        int[][] offsets = new int[m][];
        for (int d = 0; d < m; d++) {
            int[] o = new int[s[d]];
            int start = d == 0 ? base : st[d] < 0 ? -(s[d] - 1) * st[d] : 0;
            for (int i = 0; i < o.length; i++) {
                o[i] = start + i * st[d];
            }
            offsets[d] = o;
        }
        return gather(src, s, offsets, null, par).reshape(shape);
    }

    /**
     * Transposes src read as a tensor of {@code view} shape (same element count): dim i of the
     * result is dim perm[i] of the view.
     */
    public static Tensor transpose(Tensor src, int[] view, int[] perm, Parallel par) {
        int[] st = Shapes.strides(view);
        int[] shape = new int[perm.length];
        int[] strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = view[perm[i]];
            strides[i] = st[perm[i]];
        }
        return strided(src, 0, shape, strides, par);
    }

    /** A strided copy whose innermost dim is contiguous: one arraycopy per row, no offset tables. */
    private static Tensor contiguousRows(Tensor src, int offset, int[] s, int[] st, Parallel par) {
        Tensor out = Tensor.allocate(src.dtype(), s);
        int m = s.length;
        int len = s[m - 1];
        int rows = out.size() / len;
        Object a = src.data();
        Object o = out.data();
        if (rows == 1) {
            par.forRange((len + GRAIN - 1) / GRAIN, 1, (from, to) -> {
                int start = from * GRAIN;
                System.arraycopy(a, offset + start, o, start, Math.min(len, to * GRAIN) - start);
            });
            return out;
        }
        par.forRange(rows, Math.max(1, GRAIN / len), (from, to) -> {
            int[] c = new int[m - 1];
            int rem = from;
            int base = offset;
            for (int d = m - 2; d >= 0; d--) {
                c[d] = rem % s[d];
                rem /= s[d];
                base += c[d] * st[d];
            }
            for (int row = from; row < to; row++) {
                System.arraycopy(a, base, o, row * len, len);
                for (int d = m - 2; d >= 0; d--) {
                    base += st[d];
                    if (++c[d] < s[d]) {
                        break;
                    }
                    base -= st[d] * c[d];
                    c[d] = 0;
                }
            }
        });
        return out;
    }

    /**
     * The float-storage transpose when the output's innermost dimension is not contiguous in the
     * source but source dimension j is (NCHW to NHWC and back): copies square tiles so that both the
     * reads and the writes stay in cache.
     */
    private static Tensor tiledTranspose(Tensor src, int offset, int[] s, int[] st, int j, Parallel par) {
        int m = s.length;
        Tensor out = Tensor.allocate(src.dtype(), s);
        int[] ost = Shapes.strides(s);
        float[] a = src.floats();
        float[] o = out.floats();
        int na = s[j];
        int nb = s[m - 1];
        int dstA = ost[j];
        int srcB = st[m - 1];
        int outer = out.size() / (na * nb);
        int tilesA = (na + TILE - 1) / TILE;
        par.forRange(outer * tilesA, Math.max(1, GRAIN / (TILE * nb)), (from, to) -> {
            for (int t = from; t < to; t++) {
                int rem = t / tilesA;
                int a0 = (t % tilesA) * TILE;
                int a1 = Math.min(na, a0 + TILE);
                int so = offset;
                int dOff = 0;
                for (int d = m - 2; d >= 0; d--) {
                    if (d == j) {
                        continue;
                    }
                    int c = rem % s[d];
                    rem /= s[d];
                    so += c * st[d];
                    dOff += c * ost[d];
                }
                for (int b0 = 0; b0 < nb; b0 += TILE) {
                    int b1 = Math.min(nb, b0 + TILE);
                    for (int ia = a0; ia < a1; ia++) {
                        int sp = so + ia + b0 * srcB;
                        int dp = dOff + ia * dstA;
                        for (int ib = b0; ib < b1; ib++, sp += srcB) {
                            o[dp + ib] = a[sp];
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * Separable gather: element (i_0, ..., i_{r-1}) of the result (of the given shape) is
     * {@code src[offsets[0][i_0] + ... + offsets[r-1][i_{r-1}]]}, or the fill value when any of
     * those offsets is negative. {@code offsets[d]} has {@code shape[d]} entries, already multiplied by
     * the source stride. {@code fill} is a one-element tensor of src's type, or null for zero.
     * Covers Pad (all modes), Tile, Gather along one axis and any strided copy.
     */
    public static Tensor gather(Tensor src, int[] shape, int[][] offsets, Tensor fill, Parallel par) {
        Tensor out = Tensor.allocate(src.dtype(), shape);
        int n = out.size();
        if (n == 0) {
            return out;
        }
        int r = shape.length;
        if (r == 0) {
            out.copyFrom(src, 0, 0, 1);
            return out;
        }
        if (fill != null && hasNegative(offsets)) {
            fill(out.data(), 0, n, fill);
        }
        // short rows cost more in bookkeeping than in copying: fold the last two dims into one
        // offset table while rows are short and the table stays small
        while (r >= 2 && shape[r - 1] < SHORT_ROW && shape[r - 1] * shape[r - 2] <= MAX_FOLDED_ROW) {
            int[] outer = offsets[r - 2];
            int[] inner = offsets[r - 1];
            int[] folded = new int[outer.length * inner.length];
            for (int a = 0, k = 0; a < outer.length; a++) {
                for (int b = 0; b < inner.length; b++, k++) {
                    folded[k] = outer[a] < 0 || inner[b] < 0 ? -1 : outer[a] + inner[b];
                }
            }
            shape = Arrays.copyOf(shape, r - 1);
            shape[r - 2] = folded.length;
            offsets = Arrays.copyOf(offsets, r - 1);
            offsets[r - 2] = folded;
            r--;
        }
        return copyRows(src, out, shape, offsets, par);
    }

    private static Tensor copyRows(Tensor src, Tensor out, int[] shape, int[][] offsets, Parallel par) {
        int n = out.size();
        int r = shape.length;
        int len = shape[r - 1];
        int[] inner = offsets[r - 1];
        int[] runDst = new int[len];
        int[] runSrc = new int[len];
        int[] runLen = new int[len];
        int runs = 0;
        int copied = 0;
        for (int i = 0; i < len; ) {
            if (inner[i] < 0) {
                i++;
                continue;
            }
            int k = i + 1;
            while (k < len && inner[k] == inner[k - 1] + 1) {
                k++;
            }
            runDst[runs] = i;
            runSrc[runs] = inner[i];
            runLen[runs] = k - i;
            runs++;
            copied += k - i;
            i = k;
        }
        int nRuns = runs;
        boolean perElement = runs > 0 && copied < runs * MIN_RUN;
        int rows = n / len;
        Object s = src.data();
        Object d = out.data();
        par.forRange(rows, Math.max(1, GRAIN / len), (from, to) -> {
            int[] c = new int[r - 1];
            int rem = from;
            for (int k = r - 2; k >= 0; k--) {
                c[k] = rem % shape[k];
                rem /= shape[k];
            }
            for (int row = from; row < to; row++) {
                int base = 0;
                boolean skip = false;
                for (int k = 0; k < r - 1; k++) {
                    int o = offsets[k][c[k]];
                    if (o < 0) {
                        skip = true;
                        break;
                    }
                    base += o;
                }
                if (!skip) {
                    int dst = row * len;
                    if (perElement) {
                        copyElements(s, base, inner, d, dst, len);
                    } else {
                        for (int q = 0; q < nRuns; q++) {
                            System.arraycopy(s, base + runSrc[q], d, dst + runDst[q], runLen[q]);
                        }
                    }
                }
                for (int k = r - 2; k >= 0; k--) {
                    if (++c[k] < shape[k]) {
                        break;
                    }
                    c[k] = 0;
                }
            }
        });
        return out;
    }

    /**
     * Gathers along one axis: the result's axis coordinate k reads the source at index[k] (already
     * validated, non-negative). The result has shape {@code outer x index.length x inner}, reshaped
     * to {@code outShape}.
     */
    public static Tensor gatherAxis(Tensor src, int axis, int[] index, int[] outShape, Parallel par) {
        int[] in = src.shape();
        int outer = Shapes.product(in, 0, axis);
        int dim = in[axis];
        int inner = Shapes.product(in, axis + 1, in.length);
        int[] o0 = new int[outer];
        for (int i = 0; i < outer; i++) {
            o0[i] = i * dim * inner;
        }
        int[] o1 = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            o1[k] = index[k] * inner;
        }
        if (inner == 1) {
            return gather(src, new int[] {outer, index.length}, new int[][] {o0, o1}, null, par).reshape(outShape);
        }
        int[] o2 = new int[inner];
        for (int i = 0; i < inner; i++) {
            o2[i] = i;
        }
        return gather(src, new int[] {outer, index.length, inner}, new int[][] {o0, o1, o2}, null, par)
                .reshape(outShape);
    }

    /**
     * Copies {@code count} blocks of {@code block} elements: block b goes from
     * {@code src[srcPos + b * srcStride]} to {@code dst[dstPos + b * dstStride]} (Concat, Split).
     */
    public static void copyBlocks(Object src, int srcPos, int srcStride, Object dst, int dstPos, int dstStride,
                           int count, int block, Parallel par) {
        if (block == 0 || count == 0) {
            return;
        }
        par.forRange(count, Math.max(1, GRAIN / block), (from, to) -> {
            for (int b = from; b < to; b++) {
                System.arraycopy(src, srcPos + b * srcStride, dst, dstPos + b * dstStride, block);
            }
        });
    }

    private static boolean hasNegative(int[][] offsets) {
        for (int[] o : offsets) {
            for (int v : o) {
                if (v < 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** dst[dstPos + k] = src[base + index[k]] for every k with index[k] >= 0. */
    private static void copyElements(Object src, int base, int[] index, Object dst, int dstPos, int n) {
        if (src instanceof float[]) {
            float[] a = (float[]) src;
            float[] o = (float[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        } else if (src instanceof double[]) {
            double[] a = (double[]) src;
            double[] o = (double[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        } else if (src instanceof byte[]) {
            byte[] a = (byte[]) src;
            byte[] o = (byte[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        } else if (src instanceof short[]) {
            short[] a = (short[]) src;
            short[] o = (short[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        } else if (src instanceof int[]) {
            int[] a = (int[]) src;
            int[] o = (int[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        } else {
            long[] a = (long[]) src;
            long[] o = (long[]) dst;
            for (int k = 0; k < n; k++) {
                int x = index[k];
                if (x >= 0) o[dstPos + k] = a[base + x];
            }
        }
    }

    /** Sets array[from, to) to element 0 of {@code value} (a tensor with the same storage). */
    public static void fill(Object array, int from, int to, Tensor value) {
        Object v = value.data();
        if (array instanceof float[]) {
            Arrays.fill((float[]) array, from, to, ((float[]) v)[0]);
        } else if (array instanceof double[]) {
            Arrays.fill((double[]) array, from, to, ((double[]) v)[0]);
        } else if (array instanceof byte[]) {
            Arrays.fill((byte[]) array, from, to, ((byte[]) v)[0]);
        } else if (array instanceof short[]) {
            Arrays.fill((short[]) array, from, to, ((short[]) v)[0]);
        } else if (array instanceof int[]) {
            Arrays.fill((int[]) array, from, to, ((int[]) v)[0]);
        } else {
            Arrays.fill((long[]) array, from, to, ((long[]) v)[0]);
        }
    }
}
