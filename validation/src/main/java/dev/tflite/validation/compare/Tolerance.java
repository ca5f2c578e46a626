package dev.tflite.validation.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits on drift; null means "not checked". An output passes when every set limit holds: errors at most their
 * limit, similarities and agreements at least their minimum. {@code maxAbsErrorInSteps} limits the max abs error to a
 * multiple of the output's quantization step (integer outputs only; ignored for float outputs).
 * {@code minReferenceSpread} asks the inputs to move the original's output at all ({@link Metrics#referenceSpread()}):
 * a comparison on inputs that give the same output every time judges nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"maxAbsError", "meanAbsError", "rmse", "p99AbsError", "relativeError", "minCosineSimilarity", "minSnrDb",
    "minTop1Agreement", "maxAbsErrorInSteps", "minReferenceSpread"})
public record Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double p99AbsError, Double relativeError,
    Double minCosineSimilarity, Double minSnrDb, Double minTop1Agreement, Double maxAbsErrorInSteps, Double minReferenceSpread) {

  /** Every limit but the reference spread. */
  public Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double p99AbsError, Double relativeError, Double minCosineSimilarity,
      Double minSnrDb, Double minTop1Agreement, Double maxAbsErrorInSteps) {
    this(maxAbsError, meanAbsError, rmse, p99AbsError, relativeError, minCosineSimilarity, minSnrDb, minTop1Agreement, maxAbsErrorInSteps, null);
  }

  /** The four classic limits (the rest unset). */
  public Tolerance(Double maxAbsError, Double meanAbsError, Double rmse, Double minCosineSimilarity) {
    this(maxAbsError, meanAbsError, rmse, null, null, minCosineSimilarity, null, null, null, null);
  }

  /**
   * Below this share of its magnitude, the original's output did not move over the samples: the inputs tell nothing.
   * 1e-5 is about a hundred float32 roundings. Every model measured moved by far more on seeded random inputs (1.5e-4
   * for a MobileNetV2-style classifier with seeded weights, 0.007 to 1 for the real fixtures), while inputs that do not
   * vary, or a softmax saturated on one class for every sample, stay near the rounding level.
   */
  public static final double MIN_REFERENCE_SPREAD = 1e-5;

  /**
   * What validation checks when no tolerance is configured: limits that judge the model, not its units, so an output
   * in the thousands and one in [0, 1] are held to the same standard. Chosen from the drift of healthy and broken
   * conversions measured side by side (benchmarks' {@code ToleranceCalibration}; the figures are in the site's
   * drift-report page):
   * <ul>
   *   <li>{@code none}: max abs error at most 1e-4 of the largest reference magnitude. A float conversion differs
   *       from TensorFlow by summation order only (a few 1e-6 at most, with oneDNN on or off), so 1e-4 leaves room for
   *       other CPUs while a wrong op or weight is far above it.
   *   <li>{@code float16}: SNR at least 40 dB (error RMS at most 1% of the output's RMS): half-precision weights
   *       alone keep healthy models above 55 dB.
   *   <li>every integer mode: SNR at least 20 dB (error RMS at most 10% of the output's RMS): healthy models stay
   *       above 24 dB, a file that ignores its input or holds another model's weights falls far below.
   * </ul>
   * Every default also requires the inputs to move the original's output ({@link #MIN_REFERENCE_SPREAD}): on inputs
   * that saturate the model any converted file looks perfect. Unknown modes get the integer limits.
   */
  public static Tolerance defaultFor(String mode) {
    return switch (mode) {
      case "none" -> new Tolerance(null, null, null, null, 1e-4, null, null, null, null, MIN_REFERENCE_SPREAD);
      case "float16" -> snrAtLeast(40);
      case "dynamic-range", "weight-only-int8" -> snrAtLeast(20);
      default -> snrAtLeast(20);
    };
  }

  /** The limits set, briefly, for a table cell: {@code snr>=20dB}, {@code rel<=1e-4}, {@code abs<=0.05 cos>=0.99}. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    add(parts, "abs<=", maxAbsError, "");
    add(parts, "mean<=", meanAbsError, "");
    add(parts, "rmse<=", rmse, "");
    add(parts, "p99<=", p99AbsError, "");
    add(parts, "rel<=", relativeError, "");
    add(parts, "cos>=", minCosineSimilarity, "");
    add(parts, "snr>=", minSnrDb, "dB");
    add(parts, "top1>=", minTop1Agreement, "");
    add(parts, "steps<=", maxAbsErrorInSteps, "");
    return parts.isEmpty() ? "-" : String.join(" ", parts);
  }

  private static void add(List<String> parts, String name, Double limit, String unit) {
    if (limit != null) {
      java.math.BigDecimal v = java.math.BigDecimal.valueOf(limit).round(new java.math.MathContext(3)).stripTrailingZeros();
      int exponent = v.precision() - v.scale() - 1;
      // 1e-4 rather than 0.0001, 20 rather than 2E+1
      String text = exponent < -3 || exponent > 5 ? v.movePointRight(-exponent).toPlainString() + "e" + exponent : v.toPlainString();
      parts.add(name + text + unit);
    }
  }

  /**
   * How much of its error budget the worst of {@code m}'s metrics uses: 1 at the limit, above 1 beyond it (an SNR 6 dB
   * short of its minimum is an error RMS twice the allowed one: 2). 0 when no limit on drift is set.
   */
  public double budgetUsed(Metrics m) {
    double used = 0;
    used = Math.max(used, ratio(m.maxAbsError(), maxAbsError));
    used = Math.max(used, ratio(m.meanAbsError(), meanAbsError));
    used = Math.max(used, ratio(m.rmse(), rmse));
    used = Math.max(used, ratio(m.p99AbsError(), p99AbsError));
    used = Math.max(used, ratio(m.relativeError(), relativeError));
    if (minSnrDb != null) {
      used = Math.max(used, Math.pow(10, (minSnrDb - m.snrDb()) / 20));
    }
    if (minCosineSimilarity != null && minCosineSimilarity < 1) {
      used = Math.max(used, (1 - m.cosineSimilarity()) / (1 - minCosineSimilarity));
    }
    return used;
  }

  private static double ratio(double value, Double limit) {
    return limit == null ? 0 : limit > 0 ? value / limit : value == 0 ? 0 : Double.POSITIVE_INFINITY;
  }

  /** The same limits on drift, without asking the inputs to move the output (for a runtime run on a few samples only). */
  public Tolerance withoutReferenceSpread() {
    return new Tolerance(maxAbsError, meanAbsError, rmse, p99AbsError, relativeError, minCosineSimilarity, minSnrDb, minTop1Agreement,
        maxAbsErrorInSteps, null);
  }

  private static Tolerance snrAtLeast(double db) {
    return new Tolerance(null, null, null, null, null, null, db, null, null, MIN_REFERENCE_SPREAD);
  }

  /**
   * One failed limit: which metric, its value and the limit. A metric measured in another runtime than the main one
   * is prefixed with where, e.g. {@code oldestRuntime.maxAbsError}.
   */
  @JsonPropertyOrder({"metric", "value", "limit"})
  public record Violation(String metric, double value, double limit) {
    public boolean isMinimum() {
      String base = metric.substring(metric.lastIndexOf('.') + 1);
      return base.equals("cosineSimilarity") || base.equals("snrDb") || base.equals("top1Agreement") || base.equals("referenceSpread");
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
    atLeast(violations, "referenceSpread", m.referenceSpread(), minReferenceSpread);
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
