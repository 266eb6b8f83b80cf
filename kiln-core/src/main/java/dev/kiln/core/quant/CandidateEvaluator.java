package dev.kiln.core.quant;

/**
 * Scores a candidate calibration for the searching calibrators (default, mix): the model is
 * fake-quantized with the candidate's thresholds (and weights per channel or per tensor) and run on
 * the calibration samples; the score is the mean cosine similarity of its outputs with the float
 * model's (higher is better, at most 1).
 *
 * <p>Only the activations the candidate lists are fake-quantized; the others stay float. The mix
 * calibrator relies on this to measure one tensor's sensitivity with a table holding that tensor
 * alone. Calls come one at a time, from the calibrating thread.
 */
public interface CandidateEvaluator {
    double score(CalibrationTable candidate);
}
