package dev.tflite.pipeline;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A checked, immutable view of one model: the requests the converter and the validator get, and what validation does
 * beyond them. Made by {@link ModelPlanner}, which collects all configuration problems of all models before any work
 * starts.
 */
public record ModelPlan(ConversionRequest conversion, ValidationRequest validation, Map<String, Tolerance> outputTolerances, boolean fallback,
    int fallbackLimit, ValidationOptions.InputFolder inputs, ValidationOptions.Golden golden, List<Integer> batchSizes, int oldestRuntimeSamples, Baseline baseline) {

  /** The previous release's file ({@code label}: as reports name it) and how far the new one may move from it (null: report only). */
  public record Baseline(Path file, String label, Tolerance tolerance) {}

  public String name() {
    return conversion.modelName();
  }

  /** The validation options, with the converter's debug artifacts in {@code workDirectory}. */
  public ValidationOptions validationOptions(Path workDirectory) {
    return new ValidationOptions(workDirectory, outputTolerances, inputs, golden, batchSizes, oldestRuntimeSamples,
        baseline == null ? null : new ValidationOptions.Baseline(baseline.file(), baseline.label(), baseline.tolerance()));
  }
}
