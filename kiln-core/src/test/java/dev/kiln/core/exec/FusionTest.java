package dev.kiln.core.exec;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fused steps of plain runs: which chains fuse, and that a fused run gives exactly the bits of
 * the node-by-node run (a listener forces every node to run on its own).
 */
class FusionTest {
    /** Runs plain and node by node on 1 and 2 threads; all four outputs must be identical. */
    private static List<String> sameAsUnfused(Model m) {
        Map<String, Tensor> in = ModelInputs.random(m, 7);
        float[] ref = null;
        List<String> steps = null;
        for (int threads = 1; threads <= 2; threads++) {
            Executor ex = new Executor(m, threads);
            steps = ex.plainRunSteps();
            float[] fused = ex.run(in).values().iterator().next().floats().clone();
            float[] plain = ex.run(in, new Executor.RunOptions(Set.of(), (v, t) -> { })).values().iterator().next()
                    .floats().clone();
            assertArrayEquals(plain, fused, 0f, "fused vs node by node, threads " + threads);
            if (ref != null) {
                assertArrayEquals(ref, fused, 0f, "1 vs 2 threads");
            }
            ref = fused;
        }
        return steps;
    }

    private static Value conv(GraphBuilder b, String name, Value x, int cin, int cout, int k, int group) {
        return b.op("Conv", List.of(x, b.weights(name + "_w", 0.3f, cout, cin / group, k, k), b.weights(name + "_b", 0.3f, cout)),
                ints("pads", k / 2, k / 2, k / 2, k / 2), GraphBuilder.i("group", group));
    }

    @Test
    void convActivationsFuse() {
        // every FloatConv path: pointwise, phase-split 3x3, transposed (few positions), depthwise
        int[][] shapes = {{24, 16, 9, 1, 1}, {8, 16, 20, 3, 1}, {64, 96, 5, 1, 1}, {16, 16, 12, 3, 16}};
        for (int[] sh : shapes) {
            for (String act : new String[] {"Sigmoid", "HardSwish", "SiLU"}) {
                GraphBuilder b = new GraphBuilder("act", 14);
                Value x = b.input("x", DType.FLOAT, 1, sh[0], sh[2], sh[2]);
                Value c = conv(b, "c", x, sh[0], sh[1], sh[3], sh[4]);
                Value y = act.equals("SiLU") ? b.op("Mul", List.of(c, b.op("Sigmoid", c))) : b.op(act, c);
                List<String> steps = sameAsUnfused(b.output(y).build());
                String want = act.equals("SiLU") ? "Conv+Sigmoid+Mul" : "Conv+" + act;
                assertEquals(List.of(want), steps, act + " after conv " + java.util.Arrays.toString(sh));
            }
        }
    }

    @Test
    void residualThenSiluFuses() {
        GraphBuilder b = new GraphBuilder("res", 13);
        Value x = b.input("x", DType.FLOAT, 1, 16, 10, 10);
        Value c = conv(b, "c", x, 16, 16, 3, 1);
        Value a = b.op("Add", List.of(x, c));
        Value y = b.op("Mul", List.of(b.op("Sigmoid", a), a));
        assertEquals(List.of("Conv+Add+Sigmoid+Mul"), sameAsUnfused(b.output(y).build()));
    }

    @Test
    void siluAfterOtherOpsIsOnePass() {
        GraphBuilder b = new GraphBuilder("silu", 13);
        Value x = b.input("x", DType.FLOAT, 2, 3, 50, 70);
        Value h = b.op("Add", List.of(x, x));
        Value y = b.op("Mul", List.of(h, b.op("Sigmoid", h)));
        assertEquals(List.of("Add", "Sigmoid+Mul"), sameAsUnfused(b.output(y).build()));
    }

    @Test
    void sharedIntermediatesDoNotFuse() {
        // the sigmoid is also a graph output: nothing may be absorbed
        GraphBuilder b = new GraphBuilder("shared", 13);
        Value x = b.input("x", DType.FLOAT, 1, 8, 6, 6);
        Value c = conv(b, "c", x, 8, 8, 3, 1);
        Value s = b.op("Sigmoid", c);
        Value y = b.op("Mul", List.of(c, s));
        Model m = b.output(y, s).build();
        List<String> steps = new Executor(m, 1).plainRunSteps();
        assertEquals(List.of("Conv", "Sigmoid", "Mul"), steps);
        // a Mul by another tensor is not x * sigmoid(x)
        GraphBuilder b2 = new GraphBuilder("other", 13);
        Value x2 = b2.input("x", DType.FLOAT, 1, 8, 6, 6);
        Value z = b2.input("z", DType.FLOAT, 1, 8, 6, 6);
        Value y2 = b2.op("Mul", List.of(z, b2.op("Sigmoid", x2)));
        assertTrue(new Executor(b2.output(y2).build(), 1).plainRunSteps().contains("Mul"));
    }
}
