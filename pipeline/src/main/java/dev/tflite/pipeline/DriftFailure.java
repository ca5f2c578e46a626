package dev.tflite.pipeline;

import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;

/** The message of a model that drifts beyond its tolerance: which output, which metric, how far, and what to do. */
final class DriftFailure {
  private final Spelling spelling;

  DriftFailure(Spelling spelling) {
    this.spelling = spelling;
  }

  String message(ValidationReport report, Path json) {
    StringBuilder b = new StringBuilder("TensorFlow Lite model '" + report.model() + "' drifts beyond its tolerance:");
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
    report.diagnostics().forEach(d -> b.append("\n  ").append(d));
    if (report.firstDriftingLayer() != null) {
      b.append("\n  drift starts at layer '").append(report.firstDriftingLayer()).append("'; keep it in float with ")
          .append(spelling.value(Setting.KEEP_FLOAT_NODE, report.firstDriftingLayer())).append(" or use ")
          .append(spelling.value(Setting.ON_DRIFT, "fallback"));
    }
    b.append("\n  report: ").append(json)
        .append("\n  Raise ").append(spelling.setting(Setting.TOLERANCE)).append(" for this model if the drift is acceptable, or use a less aggressive ")
        .append(spelling.setting(Setting.QUANTIZATION)).append(".");
    return b.toString();
  }
}
