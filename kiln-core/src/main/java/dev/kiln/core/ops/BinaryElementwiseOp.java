package dev.kiln.core.ops;

import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.ops.elementwise.BinaryKernel;
import dev.kiln.runtime.ops.elementwise.Elementwise;
import dev.kiln.runtime.tensor.DType;

/**
 * Base of two-input elementwise operators with numpy broadcasting (Add, Mul, Equal, And...), and of
 * the variadic ones (Max, Min, Sum, Mean) which fold their inputs pairwise. The output has the
 * inputs' element type unless the kernel's {@link BinaryKernel#outputType} says otherwise (BOOL for
 * comparisons). Opset 1-6 nodes with {@code broadcast=1, axis=k} get the legacy alignment of B at
 * axis k. Kernels: {@link BinaryKernel} and its subclasses.
 */
public abstract class BinaryElementwiseOp extends Op {
    private BinaryKernel kernel() {
        return (BinaryKernel) kernels();
    }

    @Override
    public void infer(OpContext ctx) {
        DType t = ctx.inputDtype(0);
        int n = kernel().variadic() ? ctx.inputCount() : 2;
        int[][] shapes = new int[n][];
        for (int i = 0; i < n; i++) {
            shapes[i] = ctx.inputShape(i);
        }
        int axis = Elementwise.legacyAxis(ctx);
        if (axis != Elementwise.NUMPY && shapes[0] != null && shapes[1] != null) {
            shapes[1] = Elementwise.legacyShape(shapes[1], shapes[0].length, axis);
        }
        ctx.setOutput(0, t == null ? null : kernel().outputType(t), Infer.broadcast(shapes));
    }

    /** The index of the input that is a constant scalar while the other is not, or -1. */
    private static int constantScalarInput(Node n) {
        if (n.inputCount() != 2 || n.input(0) == null || n.input(1) == null) {
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            Value c = n.input(i);
            Value x = n.input(1 - i);
            if (c.isConstant() && c.constant().tensor().size() == 1 && !x.isConstant()) {
                return i;
            }
        }
        return -1;
    }

    /** With a constant scalar operand the op is a function of one input: a lookup table. */
    @Override
    public QuantKind quantKind(Node node) {
        return constantScalarInput(node) >= 0 && kernel().outputType(DType.FLOAT) == DType.FLOAT ? QuantKind.LUT
                : quantKind();
    }
}
