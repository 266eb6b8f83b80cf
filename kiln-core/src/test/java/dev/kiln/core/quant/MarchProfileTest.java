package dev.kiln.core.quant;

import dev.kiln.core.config.March;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * March profiles in the placement: a node Kiln runs as integer goes to the CPU with the profile's
 * reason when the chip's limits reject it, stays on BPU under generic (and under marches without
 * that limit), and run_on_bpu keeps it on the integer engine with a warning.
 */
class MarchProfileTest {
    /** x (1 x c x 16 x 16) -> Conv (c -> 8, k x k, dilation d) -> y. */
    private static Model conv(int channels, int k, int dilation) {
        GraphBuilder b = new GraphBuilder("conv", 13);
        Value x = b.input("x", DType.FLOAT, 1, channels, 16, 16);
        int pad = dilation * (k - 1) / 2;
        Value y = b.op("Conv", List.of(x, b.weights("w", 0.1f, 8, channels, k, k)), ints("pads", pad, pad, pad, pad),
                ints("dilations", dilation, dilation));
        return infer(b.output(y).build());
    }

    private static Model infer(Model m) {
        TypeInference.run(m);
        return m;
    }

    private static QuantPlan plan(Model m, March march, Set<String> bpu) {
        return QuantPlan.build(m, new QuantPlan.Options(Set.of(), bpu, Set.of(), false, MarchProfile.of(march)));
    }

    private static Node node(Model m, String opType) {
        for (Node n : m.graph().nodes()) {
            if (n.opType().equals(opType)) {
                return n;
            }
        }
        throw new AssertionError("no " + opType);
    }

    @Test
    void kernel9x9RunsOnCpuOnBernoulli2AndOnBpuOnGeneric() {
        Model m = conv(4, 9, 1);
        Node c = node(m, "Conv");
        QuantPlan x3 = plan(m, March.BERNOULLI2, Set.of());
        assertEquals(QuantPlan.Placement.CPU, x3.placement(c));
        String why = x3.cpuReason(c);
        assertTrue(why.contains("9x9") && why.contains("7x7") && why.contains("bernoulli2"), why);
        QuantPlan generic = plan(m, March.GENERIC, Set.of());
        assertEquals(QuantPlan.Placement.BPU, generic.placement(c));
        assertNull(generic.cpuReason(c));
        // the default options are generic: existing callers see no limits
        assertEquals(QuantPlan.Placement.BPU, QuantPlan.build(m, QuantPlan.Options.DEFAULT).placement(c));
        // the larger chips take kernels up to 31
        assertEquals(QuantPlan.Placement.BPU, plan(m, March.BAYES_E, Set.of()).placement(c));
    }

    @Test
    void sevenBySevenIsWithinTheLimit() {
        Model m = conv(4, 7, 1);
        QuantPlan p = plan(m, March.BERNOULLI2, Set.of());
        assertEquals(QuantPlan.Placement.BPU, p.placement(node(m, "Conv")), String.valueOf(p.cpuReason(node(m, "Conv"))));
    }

    /** The Conv's CPU reason under a march (null: BPU). */
    private static String convReason(Model m, March march) {
        return plan(m, march, Set.of()).cpuReason(node(m, "Conv"));
    }

    /** The Conv of the first model breaks the bernoulli2 limit named in {@code why}; the second's meets it. */
    private static void assertBernoulli2Limit(Model over, Model within, String... why) {
        String r = convReason(over, March.BERNOULLI2);
        assertNotNull(r);
        for (String w : why) {
            assertTrue(r.contains(w), r);
        }
        assertNull(convReason(within, March.BERNOULLI2));
    }

    @Test
    void channelsAbove2048RunOnCpuOnBernoulli2() {
        assertBernoulli2Limit(conv(2049, 1, 1), conv(2048, 1, 1), "input channels 2049 exceed 2048");
        assertNull(convReason(conv(2049, 1, 1), March.BAYES));
    }

    @Test
    void kernelVolumeIsHeightTimesWidthTimesChannelsPerGroup() {
        // 7 x 7 x 1024 = 50176 > 32768; 7 x 7 x 512 = 25088
        assertBernoulli2Limit(conv(1024, 7, 1), conv(512, 7, 1), "50176", "32768");
    }

    @Test
    void dilationMustBeAPowerOfTwoOnBernoulli2() {
        assertBernoulli2Limit(conv(4, 3, 3), conv(4, 3, 2), "dilation 3x3 is not a power of two");
        assertNull(convReason(conv(4, 3, 3), March.BAYES_E));
    }

    /** x -> Conv -> Reshape -> Softmax: a Reshape Kiln runs on int8 data, a Softmax it runs in float. */
    private static Model reshapeSoftmax() {
        GraphBuilder b = new GraphBuilder("rs", 13);
        Value x = b.input("x", DType.FLOAT, 1, 4, 8, 8);
        Value c = b.op("Conv", List.of(x, b.weights("w", 0.1f, 8, 4, 1, 1)));
        Value r = b.op("Reshape", List.of(c, b.ints("shape", 1L, 8L, 64L)));
        Value s = b.op("Softmax", r, i("axis", 2));
        return infer(b.output(s).build());
    }

    @Test
    void reshapeRunsOnCpuOnBernoulli2AndOnBpuOnBayesE() {
        Model m = reshapeSoftmax();
        Node r = node(m, "Reshape");
        QuantPlan x3 = plan(m, March.BERNOULLI2, Set.of());
        assertEquals(QuantPlan.Placement.CPU, x3.placement(r));
        assertEquals("Reshape runs on CPU on bernoulli2", x3.cpuReason(r));
        assertEquals(QuantPlan.Placement.BPU, plan(m, March.BAYES_E, Set.of()).placement(r));
        assertEquals(QuantPlan.Placement.BPU, plan(m, March.GENERIC, Set.of()).placement(r));
    }

    @Test
    void softmaxStaysOnCpuEverywhereBecauseKilnHasNoIntegerSoftmax() {
        Model m = reshapeSoftmax();
        Node s = node(m, "Softmax");
        for (March march : March.values()) {
            QuantPlan p = plan(m, march, Set.of(s.name()));
            assertEquals(QuantPlan.Placement.CPU, p.placement(s), march.key());
            assertEquals("Softmax has no integer kernel", p.cpuReason(s), march.key());
        }
    }

    @Test
    void runOnBpuOverridesAMarchLimitWithAWarning() {
        Model m = conv(4, 9, 1);
        Node c = node(m, "Conv");
        QuantPlan p = plan(m, March.BERNOULLI2, Set.of(c.name()));
        assertEquals(QuantPlan.Placement.BPU, p.placement(c));
        assertEquals(1, p.warnings().size(), p.warnings().toString());
        String w = p.warnings().get(0);
        assertTrue(w.contains(c.name()) && w.contains("bernoulli2") && w.contains("9x9"), w);
        assertTrue(p.isQuantized(c.output(0)), "the overridden node is quantized like any BPU node");
        assertTrue(plan(m, March.BERNOULLI2, Set.of()).warnings().isEmpty());
    }

    @Test
    void resizeNearestFactorsMustBePowersOfTwoOnBernoulli2() {
        for (int[] c : new int[][] {{2, 2, 1}, {3, 3, 0}, {4, 2, 0}, {2, 4, 1}}) {
            GraphBuilder b = new GraphBuilder("rz", 13);
            Value x = b.input("x", DType.FLOAT, 1, 4, 8, 8);
            Value y = b.op("Resize", List.of(b.op("Relu", x), b.floats("roi"), b.floats("scales", 1, 1, c[0], c[1])),
                    GraphBuilder.s("mode", "nearest"));
            Model m = infer(b.output(y).build());
            String why = plan(m, March.BERNOULLI2, Set.of()).cpuReason(node(m, "Resize"));
            assertEquals(c[2] == 1, why == null, c[0] + "x" + c[1] + ": " + why);
        }
    }

    @Test
    void everyProfileDescribesItsLimitsAsATable() {
        List<String> ops = new ArrayList<>();
        for (March m : March.values()) {
            MarchProfile p = MarchProfile.of(m);
            List<String> lines = p.describe();
            assertTrue(lines.get(0).startsWith("march " + m.key()), lines.get(0));
            assertEquals(p.limits().size() + 2 + (p.limits().isEmpty() ? 1 : 0), lines.size());
            ops.add(m.key() + ":" + p.limits().size());
        }
        MarchProfile x3 = MarchProfile.of(March.BERNOULLI2);
        assertTrue(x3.describe().stream().anyMatch(l -> l.contains("Conv") && l.contains("kernel H,W <= 7")), ops.toString());
        assertTrue(MarchProfile.generic().limits().isEmpty() && MarchProfile.generic().integerOps() == null);
        assertTrue(x3.integerOps().contains("Conv") && !x3.integerOps().contains("Reshape"));
    }

    @Test
    void docsListEveryProfileAsTheCodeHasIt() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/march-profiles.md"));
        StringBuilder missing = new StringBuilder();
        StringBuilder listing = new StringBuilder();
        for (March m : March.values()) {
            for (String line : MarchProfile.of(m).describe()) {
                listing.append(line).append('\n');
                if (!doc.contains(line)) {
                    missing.append(line).append('\n');
                }
            }
            listing.append('\n');
        }
        if (missing.length() > 0) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/march-profiles.txt"), listing);
        }
        assertEquals("", missing.toString(), "docs/march-profiles.md lacks these lines; the current listing is in "
                + "kiln-core/target/march-profiles.txt");
    }
}
