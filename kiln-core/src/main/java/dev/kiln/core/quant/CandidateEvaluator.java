package dev.kiln.core.quant;

/**
 * Scores a candidate calibration for the searching calibrators (default, mix): the model is
 * fake-quantized with the candidate's thresholds (and weights per channel or per tensor) and run on
 * the calibration samples; the score is the mean cosine similarity of its outputs with the float
 * model's (higher is better, at most 1).
 */
public interface CandidateEvaluator {
    double score(CalibrationTable candidate);
}
