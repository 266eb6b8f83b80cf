package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.IntegerParams;
import dev.kiln.runtime.ops.IntegerSupport;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.quant.IntBinary;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

/** The integer kernels of Add, Sub and Mul (both operands quantized activations). */
final class IntegerBinary {
    private IntegerBinary() {
    }

    static Kernel prepare(KernelContext ctx, IntegerParams q, IntBinary.Kind kind) {
        if (!q.isQuantizedInput(0) || !q.isQuantizedInput(1) || ctx.inputCount() != 2) {
            return null;
        }
        IntBinary op = new IntBinary(kind, q.inputScale(0), q.inputScale(1), q.outputScale(0));
        DType outType = q.outputType(0);
        int lo = q.lo(0);
        int hi = q.hi(0);
        return (in, ec) -> {
            Tensor a = in[0];
            Tensor b = in[1];
            if (!IntegerSupport.isInt8Or16(a.dtype()) || !IntegerSupport.isInt8Or16(b.dtype())) {
                throw new IllegalArgumentException("integer " + kind + " needs int8/int16 inputs, found " + a.dtype()
                        + " and " + b.dtype());
            }
            int[] shape = Shapes.broadcast(a.shape(), b.shape());
            Tensor y = IntegerSupport.allocate(outType, shape);
            op.run(IntegerSupport.bytesOrNull(a), IntegerSupport.shortsOrNull(a), a.shape(), IntegerSupport.bytesOrNull(b),
                    IntegerSupport.shortsOrNull(b), b.shape(), IntegerSupport.bytesOrNull(y), IntegerSupport.shortsOrNull(y),
                    shape, lo, hi);
            return new Tensor[] {y};
        };
    }
}
