package dev.kiln.core.ops;

import dev.kiln.runtime.ops.norm.EinsumKernel;
import dev.kiln.runtime.ops.norm.EinsumKernel.Equation;

import dev.kiln.runtime.tensor.DType;

/**
 * Einsum (opset 12): Einstein summation over any number of operands; "..." stands for broadcast
 * leading dimensions, and without "->" the output is the ellipsis dimensions followed by the
 * labels that appear once, in numpy's order. Each output dimension is the size its label has in
 * the inputs (size 1 broadcasts). Kernel: {@link EinsumKernel}.
 */
public final class Einsum extends Op {
    @Override
    public int minOpset() {
        return 12;
    }

    @Override
    public void infer(OpContext ctx) {
        String eq = ctx.attrs().getString("equation", null);
        if (eq == null) {
            throw ctx.error("attribute equation is required");
        }
        Equation e;
        try {
            e = Equation.parse(eq);
        } catch (IllegalArgumentException ex) {
            throw ctx.error(ex.getMessage());
        }
        if (e.inputs.length != ctx.inputCount()) {
            throw ctx.error("equation '" + eq + "' has " + e.inputs.length + " terms but the node has "
                    + ctx.inputCount() + " inputs");
        }
        DType t = ctx.inputDtype(0);
        int n = e.inputs.length;
        int[][] shapes = new int[n][];
        int[] ranks = new int[n];
        for (int i = 0; i < n; i++) {
            shapes[i] = ctx.inputShape(i);
            if (shapes[i] == null) {
                ctx.setOutput(0, t, (int[]) null);
                return;
            }
            ranks[i] = shapes[i].length;
        }
        int[][] lab;
        try {
            lab = EinsumKernel.labels(e, ranks, eq);
        } catch (IllegalArgumentException ex) {
            throw ctx.error(ex.getMessage());
        }
        int[] out = new int[lab[n].length];
        for (int o = 0; o < out.length; o++) {
            int size = 1;
            boolean unknown = false;
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < lab[i].length; a++) {
                    if (lab[i][a] == lab[n][o]) {
                        int d = shapes[i][a];
                        if (d < 0) unknown = true;
                        else if (d != 1) size = d;
                    }
                }
            }
            out[o] = size != 1 ? size : (unknown ? -1 : 1);
        }
        ctx.setOutput(0, t, out);
    }
}
