package dev.tflite.validation.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Drift of one output over all samples: max, mean and 99th-percentile absolute error, RMSE, cosine similarity,
 * relative error (max abs error over the largest reference magnitude), signal-to-noise ratio in dB, and for
 * classifier outputs the share of rows whose top-1 class agrees and whose reference class is within the candidate's top
 * {@value #TOP_K} (null otherwise).
 */
@JsonPropertyOrder({"maxAbsError", "meanAbsError", "rmse", "cosineSimilarity", "relativeError", "snrDb", "p99AbsError", "top1Agreement",
    "top5Agreement"})
public record Metrics(double maxAbsError, double meanAbsError, double rmse, double cosineSimilarity, double relativeError, double snrDb,
    double p99AbsError, Double top1Agreement, Double top5Agreement) {
  public static final int TOP_K = 5;
}
