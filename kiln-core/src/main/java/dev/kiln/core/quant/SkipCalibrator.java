package dev.kiln.core.quant;

import dev.kiln.core.ir.Model;
import dev.kiln.core.ops.TypeInference;

/**
 * calibration_type skip (and makertbin --fast-perf): no data, every float activation gets the
 * same fixed threshold, {@link #THRESHOLD} = 1.0. Without data there is no basis for any other
 * value, and the compiled model's speed does not depend on thresholds; its outputs are
 * meaningless, which {@link #WARNING} says (the caller logs it).
 */
public final class SkipCalibrator {
    /** The threshold every activation gets. */
    public static final float THRESHOLD = 1.0f;

    /** The line the caller logs as a warning. */
    public static final String WARNING = "calibration_type is skip: thresholds are fixed at " + THRESHOLD
            + " without calibration data, so the accuracy of the converted model is meaningless;"
            + " use it for performance evaluation only";

    private SkipCalibrator() {
    }

    public static CalibrationTable calibrate(Model model) {
        CalibrationTable table = new CalibrationTable("skip", true);
        for (String name : ActivationStats.floatActivations(model, TypeInference.run(model))) {
            table.put(new CalibrationTable.Entry(name, -THRESHOLD, THRESHOLD, THRESHOLD, "skip"));
        }
        return table;
    }
}
