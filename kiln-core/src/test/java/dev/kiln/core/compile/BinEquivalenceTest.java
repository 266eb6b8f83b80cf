package dev.kiln.core.compile;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.Value;
import dev.kiln.core.quant.CalibrationTable;
import dev.kiln.core.quant.QdqBuilder;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.core.quant.QuantTestSupport;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.kiln.core.testing.GraphBuilder.f;
import static dev.kiln.core.testing.GraphBuilder.i;
import static dev.kiln.core.testing.GraphBuilder.ints;
import static dev.kiln.core.testing.GraphBuilder.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The .bin computes exactly what Kiln's execution of the quantized model computes, on built models
 * that cover the quantized operators, the fusions (Conv+Relu/Clip, Conv+Add+Relu) and CPU
 * fallbacks (operators without integer kernels and run_on_cpu overrides): at every optimize level
 * and compile mode, with 1 and 2 threads, and from 8 threads at once.
 */
class BinEquivalenceTest {
    /** Convolutions of every kind, pooling, residual adds, activations through tables, a classifier. */
    static Model cnn() {
        GraphBuilder b = new GraphBuilder("cnn", 14);
        Value x = b.input("x", DType.FLOAT, 1, 3, 32, 32);
        Value c1 = b.op("Relu", b.op("Conv", List.of(x, b.weights("w1", 0.3f, 16, 3, 3, 3), b.weights("b1", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1)));
        Value p = b.op("MaxPool", c1, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        Value c2 = b.op("Conv", List.of(p, b.weights("w2", 0.1f, 16, 16, 3, 3), b.weights("b2", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1));
        Value dw = b.op("Conv", List.of(p, b.weights("w3", 0.3f, 16, 1, 3, 3), b.weights("b3", 0.1f, 16)),
                ints("pads", 1, 1, 1, 1), i("group", 16));
        Value sum = b.op("Relu", b.op("Add", List.of(c2, dw)));
        Value clip = b.op("Clip", List.of(b.op("Conv", List.of(sum, b.weights("w4", 0.2f, 24, 16, 3, 3),
                b.weights("b4", 0.1f, 24)), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), ints("dilations", 1, 1)),
                b.floats("lo", 0f), b.floats("hi", 6f)));
        Value dil = b.op("Conv", List.of(clip, b.weights("w5", 0.2f, 24, 24, 3, 3)), ints("pads", 2, 2, 2, 2),
                ints("dilations", 2, 2));
        Value sig = b.op("Sigmoid", dil);
        Value tanh = b.op("Tanh", clip);
        Value leaky = b.op("LeakyRelu", b.op("Mul", List.of(sig, tanh)), f("alpha", 0.1f));
        Value hs = b.op("HardSwish", leaky);
        Value avg = b.op("AveragePool", hs, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        Value gap = b.op("GlobalAveragePool", avg);
        Value flat = b.op("Flatten", gap);
        Value fc = b.op("Gemm", List.of(flat, b.weights("wf", 0.3f, 10, 24), b.weights("bf", 0.1f, 10)), i("transB", 1));
        return b.output(fc).build();
    }

    /**
     * Data movement and multi-branch graphs: Concat, Resize, Transpose/Reshape, Split, Slice, Pad,
     * DepthToSpace, MatMul, Sub, ReduceMax, PRelu, HardSigmoid, Softmax (float on the CPU), two outputs.
     */
    static Model movement() {
        GraphBuilder b = new GraphBuilder("movement", 14);
        Value x = b.input("x", DType.FLOAT, 1, 8, 16, 16);
        Value c = b.op("Conv", List.of(x, b.weights("w1", 0.3f, 8, 8, 1, 1), b.weights("b1", 0.1f, 8)));
        Value down = b.op("MaxPool", c, ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        Value up = b.op("Resize", List.of(down, b.floats("roi"), b.floats("scales", 1, 1, 2, 2)), s("mode", "nearest"));
        Value cat = b.op("Concat", List.of(c, up, x), i("axis", 1));
        Value pr = b.op("PRelu", List.of(cat, b.weights("slope", 0.2f, 24, 1, 1)));
        Value[] parts = new Value[2];
        Node split = b.node("Split", List.of(pr, b.ints("sizes", 12L, 12L)), 2, i("axis", 1));
        parts[0] = split.output(0);
        parts[1] = split.output(1);
        Value diff = b.op("Sub", List.of(parts[0], parts[1]));
        Value sl = b.op("Slice", List.of(diff, b.ints("st", 0L, 1L), b.ints("en", 12L, 15L), b.ints("ax", 1L, 2L)));
        Value pad = b.op("Pad", List.of(sl, b.ints("pads", 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L)));
        Value d2s = b.op("DepthToSpace", pad, i("blocksize", 2));
        Value hsg = b.op("HardSigmoid", d2s);
        Value t = b.op("Transpose", hsg, ints("perm", 0, 2, 3, 1));
        Value r = b.op("Reshape", List.of(t, b.ints("shape", 1L, -1L, 3L)));
        Value mm = b.op("MatMul", List.of(r, b.weights("wm", 0.4f, 3, 5)));
        Value red = b.op("ReduceMax", mm, ints("axes", 2), i("keepdims", 1));
        Value soft = b.op("Softmax", mm, i("axis", 2));
        return b.output(red, soft).build();
    }

    private static Model quantize(Model m, Set<String> cpu) {
        List<Map<String, Tensor>> cal = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            cal.add(ModelInputs.random(m, 300 + k));
        }
        CalibrationTable table = QuantTestSupport.maxTable(m, cal, true);
        for (Value in : m.graph().inputs()) {
            table.put(new CalibrationTable.Entry(in.name(), -4f, 4f, 4f, "max"));
        }
        QuantPlan plan = QuantPlan.build(m, new QuantPlan.Options(cpu, Set.of(), Set.of(), false));
        return QdqBuilder.quantized(m, plan, table).model();
    }

    private static List<Map<String, Tensor>> samples(Model m, int n) {
        List<Map<String, Tensor>> s = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            s.add(ModelInputs.random(m, 900 + k));
        }
        return s;
    }

    @Test
    void cnnMatchesBitForBit() {
        Model q = quantize(cnn(), Set.of());
        BinChecks.assertEveryVariantMatches(q, samples(q, 2), "cnn");
    }

    @Test
    void movementAndCpuFallbacksMatchBitForBit() {
        Model q = quantize(movement(), Set.of());
        BinChecks.assertEveryVariantMatches(q, samples(q, 2), "movement");
    }

    @Test
    void runOnCpuOverrideSplitsSubgraphsAndStillMatches() {
        Model m = cnn();
        String middle = m.graph().nodes().stream().filter(n -> n.opType().equals("Add")).findFirst().orElseThrow().name();
        Model q = quantize(m, Set.of(middle));
        Compiler.Result r = Compiler.compile(q, CompileOptions.defaults("cnn"));
        assertTrue(r.model().subgraphs().size() >= 2, "a CPU node in the middle gives two subgraphs: " + r.log());
        assertTrue(r.placement().values().stream().anyMatch(p -> p.on().equals("CPU")), "some node on the CPU");
        BinChecks.assertEveryVariantMatches(q, samples(q, 1), "cnn-cpu-add");
    }

    @Test
    void eightThreadsOnOneModelGiveTheSerialResults() throws Exception {
        Model q = quantize(cnn(), Set.of());
        CompiledModel cm = Compiler.compile(q, CompileOptions.defaults("cnn")).model();
        // each inference itself uses 2 threads while 8 callers share the model
        LoadedModel lm = new LoadedModel(cm, 2);
        int perThread = 200;
        List<Map<String, Input>> inputs = new ArrayList<>();
        List<float[]> serial = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            Tensor x = ModelInputs.random(q, 5000 + k).get("x");
            Map<String, Input> in = Map.of("x", Input.floats(x.floats()));
            inputs.add(in);
            serial.add(lm.infer(in).values().iterator().next().dequantized().floats().clone());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    int bad = 0;
                    for (int r = 0; r < perThread; r++) {
                        int k = (seed * 7 + r) % inputs.size();
                        Output o = lm.infer(inputs.get(k)).values().iterator().next();
                        bad += java.util.Arrays.equals(o.dequantized().floats(), serial.get(k)) ? 0 : 1;
                    }
                    return bad;
                }));
            }
            int bad = 0;
            for (Future<Integer> f : fs) {
                bad += f.get();
            }
            assertEquals(0, bad, "inferences from 8 threads that differ from the serial result");
        } finally {
            pool.shutdownNow();
        }
    }
}
