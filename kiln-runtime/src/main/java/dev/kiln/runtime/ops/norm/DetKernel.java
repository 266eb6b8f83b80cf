package dev.kiln.runtime.ops.norm;

import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Det: the determinant of each square matrix in the trailing two dimensions of x [*, M, M],
 * giving a tensor of shape [*]. Computed by LU decomposition with partial pivoting in double.
 */
public final class DetKernel extends NamedFactory {
    public static final DetKernel INSTANCE = new DetKernel();

    private DetKernel() {
        super("Det", 147);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> {
            Tensor x = in[0];
            int rank = x.rank();
            if (rank < 2 || x.dim(rank - 1) != x.dim(rank - 2)) {
                throw new IllegalArgumentException("Det expects square matrices [*, M, M], found "
                        + Shapes.toString(x.shape()));
            }
            int m = x.dim(rank - 1);
            Tensor out = Tensor.allocate(x.dtype(), Arrays.copyOf(x.shape(), rank - 2));
            double[] a = new double[m * m];
            for (int b = 0; b < out.size(); b++) {
                for (int i = 0; i < a.length; i++) a[i] = x.getDouble(b * m * m + i);
                out.setDouble(b, determinant(a, m));
            }
            return new Tensor[] {out};
        };
    }

    /** Determinant of the m x m row-major matrix a (destroyed). */
    static double determinant(double[] a, int m) {
        double det = 1;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r * m + col]) > Math.abs(a[pivot * m + col])) {
                    pivot = r;
                }
            }
            double p = a[pivot * m + col];
            if (p == 0) {
                return 0;
            }
            if (pivot != col) {
                for (int j = 0; j < m; j++) {
                    double t = a[col * m + j];
                    a[col * m + j] = a[pivot * m + j];
                    a[pivot * m + j] = t;
                }
                det = -det;
            }
            det *= p;
            for (int r = col + 1; r < m; r++) {
                double f = a[r * m + col] / p;
                if (f != 0) {
                    for (int j = col; j < m; j++) a[r * m + j] -= f * a[col * m + j];
                }
            }
        }
        return det;
    }
}
