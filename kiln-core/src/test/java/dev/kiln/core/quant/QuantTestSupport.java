package dev.kiln.core.quant;

import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A plain max calibration for tests of the quantizer (the real calibrators live elsewhere). */
public final class QuantTestSupport {
    private QuantTestSupport() {
    }

    public static CalibrationTable maxTable(Model m, List<Map<String, Tensor>> samples, boolean perChannel) {
        Map<String, float[]> ranges = new HashMap<>();
        Executor ex = new Executor(m, 1);
        for (Map<String, Tensor> s : samples) {
            ex.run(s, new Executor.RunOptions(Set.of(), (Value v, Tensor t) -> {
                if (!t.dtype().isFloatingPoint()) {
                    return;
                }
                float[] r = ranges.computeIfAbsent(v.name(), k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                for (int i = 0; i < t.size(); i++) {
                    float x = t.getFloat(i);
                    r[0] = Math.min(r[0], x);
                    r[1] = Math.max(r[1], x);
                }
            }));
        }
        CalibrationTable table = new CalibrationTable("max", perChannel);
        for (Map.Entry<String, float[]> e : ranges.entrySet()) {
            float[] r = e.getValue();
            float th = Math.max(Math.abs(r[0]), Math.abs(r[1]));
            table.put(new CalibrationTable.Entry(e.getKey(), r[0], r[1], th > 0 ? th : 1e-6f, "max"));
        }
        return table;
    }
}
