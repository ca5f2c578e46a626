package dev.tflite.validation.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits on drift; null means "not checked". An output passes when every set limit holds: errors at most their
 * limit, cosine similarity at least its minimum.
 */
public record Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double minCosineSimilarity) {

  /** What the build checks when the POM sets no tolerance: tight for float models, looser for quantized ones. */
  public static Tolerance defaultFor(boolean quantized) {
    return quantized ? new Tolerance(0.05, null, null, 0.99) : new Tolerance(1e-4, null, null, null);
  }

  /** One failed limit: which metric, its value and the limit. */
  public record Violation(String metric, double value, double limit) {}

  public List<Violation> check(Metrics m) {
    List<Violation> violations = new ArrayList<>();
    if (maxAbsError != null && !(m.maxAbsError() <= maxAbsError)) {
      violations.add(new Violation("maxAbsError", m.maxAbsError(), maxAbsError));
    }
    if (meanAbsError != null && !(m.meanAbsError() <= meanAbsError)) {
      violations.add(new Violation("meanAbsError", m.meanAbsError(), meanAbsError));
    }
    if (rmse != null && !(m.rmse() <= rmse)) {
      violations.add(new Violation("rmse", m.rmse(), rmse));
    }
    if (minCosineSimilarity != null && !(m.cosineSimilarity() >= minCosineSimilarity)) {
      violations.add(new Violation("cosineSimilarity", m.cosineSimilarity(), minCosineSimilarity));
    }
    return violations;
  }
}
