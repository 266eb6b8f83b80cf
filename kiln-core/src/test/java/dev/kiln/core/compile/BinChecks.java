package dev.kiln.core.compile;

import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that a compiled model computes exactly what Kiln's executor computes for the quantized model. */
public final class BinChecks {
    private BinChecks() {
    }

    /**
     * Compiles {@code quantized} at every optimize level and compile mode, writes and reads the file
     * back, and runs it with 1 and 2 threads: every output equals the executor's bit for bit. Two
     * compilations with the same options give the same bytes.
     */
    public static void assertEveryVariantMatches(Model quantized, List<Map<String, Tensor>> samples, String label) {
        Executor ex = new Executor(quantized, 1);
        List<Map<String, Tensor>> want = samples.stream().map(s -> copy(ex.run(s))).toList();
        for (OptimizeLevel level : OptimizeLevel.values()) {
            for (CompileMode mode : CompileMode.values()) {
                CompileOptions o = CompileOptions.defaults(label).withLevel(level).withMode(mode).withCoreNum(2);
                byte[] bytes = BinWriter.bytes(BinWriter.file(List.of(Compiler.compile(quantized, o).model()), false));
                byte[] again = BinWriter.bytes(BinWriter.file(List.of(Compiler.compile(quantized, o).model()), false));
                assertArrayEquals(bytes, again, label + " " + level + " " + mode + ": the same compilation gives the same bytes");
                BinFile f = BinPackage.read(bytes, label + ".bin").file();
                for (int threads : new int[] {1, 2}) {
                    LoadedModel lm = new LoadedModel(f.models().get(0), threads);
                    for (int s = 0; s < samples.size(); s++) {
                        Map<String, Tensor> got = lm.runProgram(samples.get(s), null);
                        assertSame(want.get(s), got, label + " " + level + " " + mode + " threads " + threads + " sample " + s);
                    }
                }
            }
        }
    }

    /** Every output of {@code want} is in {@code got} with the same dtype, shape and bits. */
    public static void assertSame(Map<String, Tensor> want, Map<String, Tensor> got, String where) {
        assertEquals(want.keySet(), got.keySet(), where + ": outputs");
        for (Map.Entry<String, Tensor> e : want.entrySet()) {
            Tensor w = e.getValue();
            Tensor g = got.get(e.getKey());
            assertEquals(w.dtype(), g.dtype(), where + ": dtype of " + e.getKey());
            assertArrayEquals(w.shape(), g.shape(), where + ": shape of " + e.getKey());
            int diff = 0;
            int first = -1;
            for (int i = 0; i < w.size(); i++) {
                boolean same = w.dtype().isFloatingPoint()
                        ? Double.doubleToLongBits(w.getDouble(i)) == Double.doubleToLongBits(g.getDouble(i))
                        : w.getLong(i) == g.getLong(i);
                if (!same) {
                    diff++;
                    first = first < 0 ? i : first;
                }
            }
            assertTrue(diff == 0, where + ": " + diff + " of " + w.size() + " elements of " + e.getKey() + " differ"
                    + (first < 0 ? "" : ", first at " + first + ": " + w.getDouble(first) + " vs " + g.getDouble(first)));
        }
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> m) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }
}
