package dev.tflite.pipeline;

import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The message of a model that drifts beyond its tolerance: which output, which metric, how far, and what to do. */
final class DriftFailure {
  private final Spelling spelling;

  DriftFailure(Spelling spelling) {
    this.spelling = spelling;
  }

  String message(ValidationReport report, Path json) {
    boolean outputsFail = !report.failingOutputs().isEmpty();
    StringBuilder b = new StringBuilder("TensorFlow Lite model '" + report.model() + "' drifts beyond its tolerance"
        + (outputsFail ? "" : " against the baseline") + ":");
    for (OutputDrift o : report.failingOutputs()) {
      for (Tolerance.Violation v : o.violations()) {
        b.append("\n  output '").append(o.name()).append("': ").append(v.metric()).append(" = ").append(v.value())
            .append(v.isMinimum() ? " < minimum " : " > tolerance ").append(v.limit());
      }
    }
    if (report.failingOutputs().stream().flatMap(o -> o.violations().stream()).anyMatch(v -> v.metric().startsWith("oldestRuntime."))) {
      b.append("\n  'oldestRuntime.*' is this file run in ").append(report.runtimes().oldest())
          .append(", the oldest runtime the converter writes for: its kernels give other results than the current runtime's,"
              + " so devices on it would see this drift; keep the drifting layer in float, or use another quantization mode (")
          .append(spelling.setting(Setting.QUANTIZATION)).append(")");
    }
    if (report.baseline() != null && !report.baseline().passed()) {
      if (report.baseline().note() != null) {
        b.append("\n  ").append(report.baseline().note()).append("; remove ").append(spelling.setting(Setting.BASELINE_TOLERANCE))
            .append(" for a release that changes the model's interface");
      }
      for (var o : report.baseline().outputs()) {
        for (Tolerance.Violation v : o.violations()) {
          b.append("\n  output '").append(o.name()).append("' against the baseline ").append(report.baseline().file()).append(": ")
              .append(v.metric()).append(" = ").append(v.value()).append(v.isMinimum() ? " < minimum " : " > tolerance ").append(v.limit())
              .append(" (").append(spelling.value(Setting.BASELINE_TOLERANCE, LIMIT_OF.getOrDefault(v.metric(), v.metric()), v.limit())).append(")");
        }
      }
      b.append("\n  the new model moved further from the previous release than ").append(spelling.setting(Setting.BASELINE_TOLERANCE))
          .append(" allows: check the change is intended, then widen the tolerance or keep the previous model");
    }
    report.diagnostics().forEach(d -> b.append("\n  ").append(d));
    if (report.firstDriftingLayer() != null) {
      b.append("\n  drift starts at layer '").append(report.firstDriftingLayer()).append("'; keep it in float with ")
          .append(spelling.value(Setting.KEEP_FLOAT_NODE, report.firstDriftingLayer())).append(" or use ")
          .append(spelling.value(Setting.ON_DRIFT, "fallback"));
    }
    b.append("\n  report: ").append(json);
    Map<String, Double> smallest = smallestPassingLimits(report);
    if (smallest.containsKey("minReferenceSpread")) {
      b.append("\n  the original's outputs hardly change over these inputs, so they cannot tell a good conversion from a bad one:"
          + " feed representative data with ").append(spelling.setting(Setting.INPUTS_DIRECTORY))
          .append(" (or a wider ").append(spelling.setting(Setting.INPUT_RANGE)).append("), or set ").append(spelling.setting(Setting.TOLERANCE))
          .append(" explicitly to accept them");
      smallest.remove("minReferenceSpread");
    }
    if (!smallest.isEmpty()) {
      b.append("\n  smallest tolerance that would pass: ").append(String.join(" ", smallest.entrySet().stream()
          .map(e -> spelling.value(Setting.TOLERANCE, e.getKey(), format(e.getValue()))).toList()))
          .append(" (accept it only if the drift is acceptable for your use; else use a less aggressive ")
          .append(spelling.setting(Setting.QUANTIZATION)).append(")");
    }
    return b.toString();
  }

  /**
   * For each broken limit, the limit its worst value over all outputs and runtimes would have met, rounded to two
   * significant digits in the passing direction: Polygraphy's hint, in the tolerance's own terms.
   */
  static Map<String, Double> smallestPassingLimits(ValidationReport report) {
    Map<String, Double> limits = new TreeMap<>();
    for (OutputDrift o : report.failingOutputs()) {
      for (Tolerance.Violation v : o.violations()) {
        String metric = v.metric().substring(v.metric().lastIndexOf('.') + 1);
        String limit = LIMIT_OF.getOrDefault(metric, metric);
        double needed = v.isMinimum() ? roundDown(v.value()) : roundUp(v.value());
        limits.merge(limit, needed, v.isMinimum() ? Math::min : Math::max);
      }
    }
    return limits;
  }

  /** The tolerance setting that limits each measured metric, where the names differ. */
  private static final Map<String, String> LIMIT_OF = Map.of("cosineSimilarity", "minCosineSimilarity", "snrDb", "minSnrDb",
      "top1Agreement", "minTop1Agreement", "referenceSpread", "minReferenceSpread");

  private static double roundUp(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      return v;
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(2, RoundingMode.CEILING));
    return d.doubleValue();
  }

  private static double roundDown(double v) {
    if (Double.isInfinite(v) || Double.isNaN(v)) {
      return v;
    }
    return new BigDecimal(v).round(new MathContext(2, RoundingMode.FLOOR)).doubleValue();
  }

  private static String format(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
