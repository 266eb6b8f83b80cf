package dev.kiln.core.passes;

import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a MatMul by a constant 2-D weight followed by the addition of a constant bias into one Gemm.
 *
 * <pre>
 * Before:     a -> MatMul(a, B) -> y -> Add(y, C) -> z
 * After:      a -> Gemm(a, B, C) -> z           (alpha = beta = 1, no transposes)
 * Conditions: a is 2-D (Gemm takes only matrices; higher ranks stay MatMul); B is a float32
 *             constant of rank 2; C is a float32 constant that broadcasts to y's shape without
 *             growing it; y feeds only the Add (and is no graph output); opset 7 or later.
 * Formula:    Gemm computes a x B + C, the same sum in the same order as MatMul then Add.
 * </pre>
 */
public final class FuseMatMulAddIntoGemm extends Pass {
    @Override
    public String name() {
        return "fuse_matmul_add_into_gemm";
    }

    @Override
    public boolean run(Graph g, PassContext ctx) {
        boolean changed = false;
        for (Node mm : new ArrayList<>(g.nodes())) {
            if (mm.graph() != g || !mm.opType().equals("MatMul") || !mm.domain().isEmpty() || ctx.opset(mm) < 7) {
                continue;
            }
            Value a = mm.input(0);
            Tensor b = Rewrites.constantInput(mm, 1);
            Value y = mm.output(0);
            Node add = Rewrites.soleConsumer(y);
            if (a == null || !a.type().hasRank() || a.type().rank() != 2 || b == null || b.rank() != 2
                    || b.dtype() != DType.FLOAT || !Rewrites.isFloat(a) || add == null || !add.opType().equals("Add")
                    || add.inputCount() != 2 || add.input(0) == add.input(1)) {
                continue;
            }
            Value cv = add.input(0) == y ? add.input(1) : add.input(0);
            Tensor c = cv.isConstant() ? cv.constant().tensor() : null;
            Value z = add.output(0);
            int[] yShape = Rewrites.staticShape(y);
            if (c == null || c.dtype() != DType.FLOAT || yShape == null || !Arrays.equals(yShape, Rewrites.staticShape(z))
                    || c.rank() > 2 || !broadcastsTo(c.shape(), yShape) || !Rewrites.canReplace(z, y)) {
                continue;
            }
            Node gemm = g.insertNodeBefore(add, g.uniqueName(mm.name() + "_gemm"), "Gemm", new Attributes(),
                    List.of(a, mm.input(1), cv), List.of(g.uniqueName(z.name() + "_gemm")));
            gemm.output(0).setType(z.type());
            String mmName = mm.name();
            String addName = add.name();
            Rewrites.replaceOutput(g, add, z, gemm.output(0), true);
            g.removeNode(mm);
            gemm.setName(mmName);
            ctx.rewrote("fused '" + mmName + "' (MatMul) and '" + addName + "' (Add) into Gemm '" + mmName + "'");
            changed = true;
        }
        return changed;
    }

    /** True when shape s broadcasts to target without changing it (right-aligned, each dim 1 or equal). */
    private static boolean broadcastsTo(int[] s, int[] target) {
        for (int i = 0; i < s.length; i++) {
            int d = s[s.length - 1 - i];
            int t = target[target.length - 1 - i];
            if (d != 1 && d != t) {
                return false;
            }
        }
        return true;
    }
}
