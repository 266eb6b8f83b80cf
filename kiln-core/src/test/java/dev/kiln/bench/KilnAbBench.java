package dev.kiln.bench;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.ModelInputs;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A/B timing of Kiln against itself in one process: executor A built with the system properties as
 * given, executor B with the property named by the second argument set to the third (e.g.
 * kiln.fuse false), runs alternating. Usage: KilnAbBench MODEL.onnx PROPERTY VALUE [threads] [runs].
 */
public final class KilnAbBench {
    public static void main(String[] args) {
        Model ma = OnnxImporter.load(Path.of(args[0]));
        Model mb = OnnxImporter.load(Path.of(args[0]));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 40;
        Executor a = new Executor(ma, threads);
        String old = System.getProperty(args[1]);
        System.setProperty(args[1], args[2]);
        Executor b = new Executor(mb, threads);
        if (old == null) {
            System.clearProperty(args[1]);
        } else {
            System.setProperty(args[1], old);
        }
        Map<String, Tensor> in = ModelInputs.random(ma, 1);
        long[] ta = new long[runs];
        long[] tb = new long[runs];
        for (int i = 0; i < 10; i++) {
            a.run(in);
            b.run(in);
        }
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            a.run(in);
            long t1 = System.nanoTime();
            b.run(in);
            tb[i] = System.nanoTime() - t1;
            ta[i] = t1 - t0;
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        System.out.printf("A (as given) median %.2f ms, B (%s=%s) median %.2f ms%n", ta[runs / 2] / 1e6, args[1], args[2],
                tb[runs / 2] / 1e6);
    }
}
