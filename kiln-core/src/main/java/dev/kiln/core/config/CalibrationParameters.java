package dev.kiln.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The calibration_parameters group.
 *
 * @param sources        one per input (cal_data_dir and its data type), in input order
 * @param preprocessOn   the directories hold images, to be resized to the input size
 * @param maxPercentile  max_percentile in (0, 1], default 1.0
 * @param perChannel     per_channel: weights quantized per output channel (false: per tensor)
 * @param runOnCpu       node names forced onto the CPU
 * @param runOnBpu       node names forced onto the integer engine
 */
public record CalibrationParameters(List<Source> sources, boolean preprocessOn, CalibrationType type,
                                    double maxPercentile, boolean perChannel, List<String> runOnCpu,
                                    List<String> runOnBpu, Set<Optimization> optimizations) {
    public enum CalibrationType {
        DEFAULT, MIX, KL, MAX, LOAD, SKIP
    }

    public enum DataType {
        UINT8, FLOAT32
    }

    public enum Optimization {
        SET_MODEL_OUTPUT_INT8, SET_MODEL_OUTPUT_INT16, SET_ALL_NODES_INT16, SET_SOFTMAX_INPUT_INT8, SET_SOFTMAX_OUTPUT_INT8
    }

    /**
     * Calibration samples of one input.
     *
     * @param dir      cal_data_dir (null for calibration_type skip/load, which need no data)
     * @param dataType cal_data_type, or the one the directory name implies (_f32 suffix: float32)
     */
    public record Source(Path dir, DataType dataType) {
    }
}
