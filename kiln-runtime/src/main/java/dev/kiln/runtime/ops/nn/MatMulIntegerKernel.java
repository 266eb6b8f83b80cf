package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * MatMulInteger (opset 10): {@code y = (a - a_zero_point) @ (b - b_zero_point)} with numpy
 * matmul broadcasting, accumulated in int32. a and b are int8 or uint8; a_zero_point is a scalar
 * or per row (1-D of length M, or a's shape with last dim 1), b_zero_point a scalar or per column
 * (1-D of length N, or b's shape with second-to-last dim 1); both default to 0.
 */
public final class MatMulIntegerKernel extends NamedFactory {
    public static final MatMulIntegerKernel INSTANCE = new MatMulIntegerKernel();

    private MatMulIntegerKernel() {
        super("MatMulInteger", 119);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        return (in, ec) -> {
            Tensor a = in[0];
            Tensor b = in[1];
            Tensor aZp = in.length > 2 ? in[2] : null;
            Tensor bZp = in.length > 3 ? in[3] : null;
            QuantParams.requireType(a, "A", DType.INT8, DType.UINT8);
            QuantParams.requireType(b, "B", DType.INT8, DType.UINT8);
            if (aZp != null && aZp.dtype() != a.dtype() || bZp != null && bZp.dtype() != b.dtype()) {
                throw new IllegalArgumentException("zero points must have their tensor's type (A " + a.dtype()
                        + ", B " + b.dtype() + ")");
            }
            IntKernels.MatMulShape s = new IntKernels.MatMulShape(a.shape(), b.shape());
            int[] acc = s.multiply(s.aMinusZeroPoint(a, aZp), s.bMinusZeroPoint(b, bZp), ec.parallel());
            return new Tensor[] {Tensor.ofInts(acc, s.out)};
        };
    }
}
