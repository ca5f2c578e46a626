package dev.tflite.validation.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Drift of one output over all samples: max, mean and 99th-percentile absolute error, RMSE, cosine similarity,
 * relative error (max abs error over the largest reference magnitude), signal-to-noise ratio in dB, and for
 * classifier outputs the share of rows whose top-1 class agrees and whose reference class is within the candidate's top
 * {@value #TOP_K} (null otherwise); and how far the inputs moved the reference output ({@code referenceSpread}: the
 * widest per-element range over the samples relative to the largest reference magnitude; near 0 when every sample
 * gives the same output, e.g. a softmax saturated on the same class, so that the comparison says little).
 */
@JsonPropertyOrder({"maxAbsError", "meanAbsError", "rmse", "cosineSimilarity", "relativeError", "snrDb", "p99AbsError", "top1Agreement",
    "top5Agreement", "referenceSpread"})
public record Metrics(double maxAbsError, double meanAbsError, double rmse, double cosineSimilarity, double relativeError, double snrDb,
    double p99AbsError, Double top1Agreement, Double top5Agreement, double referenceSpread) {
  public static final int TOP_K = 5;

  /** Without a measured spread (a single sample, or metrics of a stage rather than of the outputs). */
  public Metrics(double maxAbsError, double meanAbsError, double rmse, double cosineSimilarity, double relativeError, double snrDb,
      double p99AbsError, Double top1Agreement, Double top5Agreement) {
    this(maxAbsError, meanAbsError, rmse, cosineSimilarity, relativeError, snrDb, p99AbsError, top1Agreement, top5Agreement, 0);
  }
}
