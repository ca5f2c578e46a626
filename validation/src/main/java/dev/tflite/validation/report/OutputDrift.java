package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.compare.Tolerance;
import java.util.List;

/**
 * One output's drift against the original (all metrics), split into conversion error (original vs the float
 * .tflite) and quantization error (float .tflite vs the quantized one) when both exist; the drift of the same file
 * in the oldest supported runtime on the first samples; the tolerance it was held to, the limits it broke and a
 * histogram of its absolute errors.
 */
@JsonPropertyOrder({"name", "matchedBy", "original", "shape", "type", "quantizationStep", "maxAbsError", "meanAbsError", "rmse", "cosineSimilarity",
    "relativeError", "snrDb", "p99AbsError", "top1Agreement", "top5Agreement", "referenceSpread", "conversion", "quantization", "oldestRuntime",
    "tolerance", "passed", "violations", "histogram"})
public record OutputDrift(
    String name,
    String matchedBy,
    String original,
    long[] shape,
    String type,
    Double quantizationStep,
    double maxAbsError,
    double meanAbsError,
    double rmse,
    double cosineSimilarity,
    double relativeError,
    double snrDb,
    double p99AbsError,
    Double top1Agreement,
    Double top5Agreement,
    double referenceSpread,
    StageDrift conversion,
    StageDrift quantization,
    StageDrift oldestRuntime,
    Tolerance tolerance,
    boolean passed,
    List<Tolerance.Violation> violations,
    Histogram histogram) {

  public static OutputDrift of(String name, long[] shape, String type, Double step, Metrics m, StageDrift conversion, StageDrift quantization,
      StageDrift oldestRuntime, Tolerance tolerance, List<Tolerance.Violation> violations, Histogram histogram) {
    return of(name, null, null, shape, type, step, m, conversion, quantization, oldestRuntime, tolerance, violations, histogram);
  }

  /**
   * {@code matchedBy}: how the output was paired with the original's {@code original} output ({@code signature},
   * {@code name} or {@code position}; null when not matched, as against golden outputs).
   */
  public static OutputDrift of(String name, String matchedBy, String original, long[] shape, String type, Double step, Metrics m,
      StageDrift conversion, StageDrift quantization, StageDrift oldestRuntime, Tolerance tolerance, List<Tolerance.Violation> violations,
      Histogram histogram) {
    return new OutputDrift(name, matchedBy, original, shape, type, step, m.maxAbsError(), m.meanAbsError(), m.rmse(), m.cosineSimilarity(), m.relativeError(), m.snrDb(),
        m.p99AbsError(), m.top1Agreement(), m.top5Agreement(), m.referenceSpread(), conversion, quantization, oldestRuntime, tolerance, violations.isEmpty(), violations,
        histogram);
  }

  /** How much of its tolerance's error budget this output uses (1 at the limit); see {@link Tolerance#budgetUsed}. */
  public double budgetUsed() {
    return tolerance.budgetUsed(new Metrics(maxAbsError, meanAbsError, rmse, cosineSimilarity, relativeError, snrDb, p99AbsError, top1Agreement,
        top5Agreement, referenceSpread));
  }

  /** Max abs error and RMSE of one step of the pipeline. */
  @JsonPropertyOrder({"maxAbsError", "rmse"})
  public record StageDrift(double maxAbsError, double rmse) {
    public static StageDrift of(Metrics m) {
      return new StageDrift(m.maxAbsError(), m.rmse());
    }
  }
}
