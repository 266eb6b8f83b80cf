package dev.kiln.core.tools;

import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.TensorFiles;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code kiln verify}: runs {@code <p>_quantized_model.onnx} with Kiln's executor and the .bin with
 * the runtime on the same inputs (the quantized model's own input tensors: int8 pixel - 128 for
 * image inputs, float32 for featuremaps) and counts the output elements that differ. Exact
 * agreement is the expectation; outputs whose final Dequantize was removed are compared after
 * dequantizing with the descriptor's scales.
 */
public final class BinVerifier {
    /** One output over all samples. */
    public record OutputResult(String name, long mismatches, long total, double maxAbsDiff) {
        public double rate() {
            return total == 0 ? 0 : (double) mismatches / total;
        }
    }

    /** The comparison over all samples. */
    public record Result(int samples, List<OutputResult> outputs) {
        public boolean strict() {
            return outputs.stream().allMatch(o -> o.mismatches() == 0);
        }
    }

    private BinVerifier() {
    }

    /**
     * @param inputs  files per quantized-model input name (NAME may be "" for one input); inputs
     *                without a file get pseudo-random data
     * @param samples how many runs (each with fresh random data for the inputs without a file)
     */
    public static Result verify(Path quantized, Path bin, String modelName, Map<String, Path> inputs, int samples,
                                int threads) {
        Model q = OnnxImporter.load(quantized);
        BinPackage pkg = BinPackage.open(bin);
        String name = modelName != null ? modelName : pkg.modelNames().get(0);
        if (modelName == null && pkg.modelNames().size() > 1) {
            throw new KilnException(bin + " holds " + pkg.modelNames().size() + " models " + pkg.modelNames()
                    + "; choose one with --model-name");
        }
        LoadedModel lm = pkg.load(name, threads);
        Executor ex = new Executor(q, threads);
        Map<String, Path> files = new LinkedHashMap<>(inputs);
        if (files.containsKey("")) {
            if (q.graph().inputs().size() != 1) {
                throw new KilnException("--input without NAME= needs a one-input model");
            }
            files.put(q.graph().inputs().get(0).name(), files.remove(""));
        }
        Map<String, long[]> mism = new LinkedHashMap<>();
        Map<String, Double> maxDiff = new LinkedHashMap<>();
        for (int s = 0; s < samples; s++) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (Value v : q.graph().inputs()) {
                Path p = files.get(v.name());
                in.put(v.name(), p != null ? read(v, p) : random(v, 2026L + 97L * s + in.size()));
            }
            Map<String, Tensor> want = ex.run(in);
            Map<String, Tensor> got = lm.runProgram(in, null);
            for (IoDescriptor d : lm.outputs()) {
                Tensor w = want.get(d.name());
                Tensor g = got.get(d.name());
                if (w == null) {
                    throw new KilnException("output '" + d.name() + "' of the .bin is not an output of " + quantized);
                }
                if (g.dtype() != w.dtype() && d.quant() != null) {
                    g = new Output(d, g).dequantized();
                }
                long[] c = mism.computeIfAbsent(d.name(), k -> new long[2]);
                double md = maxDiff.getOrDefault(d.name(), 0.0);
                if (g.size() != w.size()) {
                    throw new KilnException("output '" + d.name() + "': the .bin gives " + Shapes.toString(g.shape())
                            + ", the quantized model " + Shapes.toString(w.shape()));
                }
                for (int i = 0; i < w.size(); i++) {
                    double a = w.getDouble(i);
                    double b = g.getDouble(i);
                    boolean same = a == b || Double.isNaN(a) && Double.isNaN(b);
                    if (!same) {
                        c[0]++;
                        md = Math.max(md, Double.isNaN(a - b) ? Double.POSITIVE_INFINITY : Math.abs(a - b));
                    }
                }
                c[1] += w.size();
                maxDiff.put(d.name(), md);
            }
        }
        List<OutputResult> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : mism.entrySet()) {
            out.add(new OutputResult(e.getKey(), e.getValue()[0], e.getValue()[1], maxDiff.get(e.getKey())));
        }
        return new Result(samples, out);
    }

    private static Tensor read(Value v, Path p) {
        Tensor t = TensorFiles.read(p);
        DType want = v.type().dtype();
        int[] shape = v.type().shape();
        if (shape != null && t.size() != Shapes.size(shape)) {
            throw new KilnException("--input " + v.name() + ": " + p + " holds " + Shapes.toString(t.shape())
                    + ", the quantized model takes " + want.displayName() + " " + Shapes.toString(shape));
        }
        if (t.dtype() == DType.UINT8 && want == DType.INT8) {
            byte[] b = t.bytes().clone();
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ((b[i] & 0xff) - 128);
            }
            return Tensor.wrap(DType.INT8, shape.clone(), b);
        }
        Tensor c = t.dtype() == want ? t : t.castTo(want);
        return shape == null ? c : c.reshape(shape.clone());
    }

    /** Pseudo-random data: the full int8 range for integer inputs, N(0,1) for float. */
    private static Tensor random(Value v, long seed) {
        int[] shape = v.type().shape();
        if (shape == null) {
            throw new KilnException("input '" + v.name() + "' of the quantized model has no static shape");
        }
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(v.type().dtype(), shape.clone());
        for (int i = 0; i < t.size(); i++) {
            t.setDouble(i, v.type().dtype().isFloatingPoint() ? r.nextGaussian() : r.nextInt(-128, 128));
        }
        return t;
    }
}
