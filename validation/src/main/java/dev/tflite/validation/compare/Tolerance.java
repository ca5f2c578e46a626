package dev.tflite.validation.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits on drift; null means "not checked". An output passes when every set limit holds: errors at most their
 * limit, similarities and agreements at least their minimum. {@code maxAbsErrorInSteps} limits the max abs error to a
 * multiple of the output's quantization step (integer outputs only; ignored for float outputs).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"maxAbsError", "meanAbsError", "rmse", "p99AbsError", "relativeError", "minCosineSimilarity", "minSnrDb",
    "minTop1Agreement", "maxAbsErrorInSteps"})
public record Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double p99AbsError, Double relativeError,
    Double minCosineSimilarity, Double minSnrDb, Double minTop1Agreement, Double maxAbsErrorInSteps) {

  /** The four classic limits (the rest unset). */
  public Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double minCosineSimilarity) {
    this(maxAbsError, meanAbsError, rmse, null, null, minCosineSimilarity, null, null, null);
  }

  /** What the build checks when the POM sets no tolerance: tight for float models, looser for quantized ones. */
  public static Tolerance defaultFor(boolean quantized) {
    return quantized ? new Tolerance(0.05, null, null, 0.99) : new Tolerance(1e-4, null, null, null);
  }

  /**
   * One failed limit: which metric, its value and the limit. A metric measured in another runtime than the main one
   * is prefixed with where, e.g. {@code oldestRuntime.maxAbsError}.
   */
  @JsonPropertyOrder({"metric", "value", "limit"})
  public record Violation(String metric, double value, double limit) {
    public boolean isMinimum() {
      String base = metric.substring(metric.lastIndexOf('.') + 1);
      return base.equals("cosineSimilarity") || base.equals("snrDb") || base.equals("top1Agreement");
    }

    public Violation in(String where) {
      return new Violation(where + "." + metric, value, limit);
    }
  }

  public List<Violation> check(Metrics m) {
    return check(m, null);
  }

  /** {@code quantizationStep} is the output's scale when it is an integer tensor, else null. */
  public List<Violation> check(Metrics m, Double quantizationStep) {
    List<Violation> violations = new ArrayList<>();
    atMost(violations, "maxAbsError", m.maxAbsError(), maxAbsError);
    atMost(violations, "meanAbsError", m.meanAbsError(), meanAbsError);
    atMost(violations, "rmse", m.rmse(), rmse);
    atMost(violations, "p99AbsError", m.p99AbsError(), p99AbsError);
    atMost(violations, "relativeError", m.relativeError(), relativeError);
    atLeast(violations, "cosineSimilarity", m.cosineSimilarity(), minCosineSimilarity);
    atLeast(violations, "snrDb", m.snrDb(), minSnrDb);
    if (m.top1Agreement() != null) {
      atLeast(violations, "top1Agreement", m.top1Agreement(), minTop1Agreement);
    }
    if (maxAbsErrorInSteps != null && quantizationStep != null) {
      atMost(violations, "maxAbsErrorInSteps", m.maxAbsError() / quantizationStep, maxAbsErrorInSteps);
    }
    return violations;
  }

  private static void atMost(List<Violation> out, String metric, double value, Double limit) {
    if (limit != null && !(value <= limit)) {
      out.add(new Violation(metric, value, limit));
    }
  }

  private static void atLeast(List<Violation> out, String metric, double value, Double limit) {
    if (limit != null && !(value >= limit)) {
      out.add(new Violation(metric, value, limit));
    }
  }
}
