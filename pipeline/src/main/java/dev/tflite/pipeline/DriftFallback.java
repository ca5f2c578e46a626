package dev.tflite.pipeline;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.report.LayerDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accuracy-aware fallback: while the model misses its tolerance, keep the worst layer in float (the first layer
 * where drift jumps, else the one with the largest per-layer error), convert again and re-validate, up to a limit.
 */
final class DriftFallback {
  private final TfliteConverter converter = new TfliteConverter();
  private final ModelValidator validator = new ModelValidator();

  /** The final report (with its {@code fallback} section) and the conversion that produced it. */
  record Result(ValidationReport report, ConversionRequest conversion) {}

  Result run(ModelPlan plan, ValidationReport failed, Path workDirectory, ModelLog log) {
    ValidationReport report = failed;
    ConversionRequest conversion = plan.conversion();
    List<String> kept = new ArrayList<>();
    long sizeBefore = failed.sizeBytes();
    int attempts = 0;
    while (!report.passed() && kept.size() < plan.fallbackLimit()) {
      Optional<LayerDrift> worst = worstLayer(report, kept);
      if (worst.isEmpty()) {
        log.warn("fallback: no per-layer drift to choose from; nothing more to keep in float");
        break;
      }
      kept.add(worst.get().origin());
      attempts++;
      QuantizationOptions o = conversion.quantizationOptions();
      List<Pattern> nodes = new ArrayList<>(o.keepFloatNodes());
      nodes.add(Pattern.compile(Pattern.quote(worst.get().origin())));
      conversion = conversion.withQuantization(conversion.quantization(),
          new QuantizationOptions(o.perChannel(), o.inputType(), o.outputType(), o.keepFloatOpTypes(), nodes, o.integerOnly(), o.calibration()));
      log.info("fallback " + attempts + ": keeping " + worst.get().op() + " '" + worst.get().origin() + "' in float (normalized error "
          + String.format(java.util.Locale.ROOT, "%.3g", worst.get().normalizedError()) + ")");
      converter.convert(conversion, workDirectory);
      report = validator.validate(plan.validation(), plan.validationOptions(workDirectory));
    }
    return new Result(report.withFallback(new ValidationReport.Fallback(failed.firstDriftingLayer(), List.copyOf(kept), sizeBefore, report.sizeBytes(),
        attempts)), conversion);
  }

  private static Optional<LayerDrift> worstLayer(ValidationReport report, List<String> kept) {
    Optional<LayerDrift> flagged = report.layers().stream().filter(LayerDrift::flagged).filter(l -> !kept.contains(l.origin())).findFirst();
    if (flagged.isPresent()) {
      return flagged;
    }
    return report.layers().stream().filter(l -> !kept.contains(l.origin()) && l.normalizedError() > 0)
        .max(Comparator.comparingDouble(LayerDrift::normalizedError));
  }
}
