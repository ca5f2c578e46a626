package dev.tflite.validation;

import dev.tflite.validation.compare.Tolerance;
import java.nio.file.Path;
import java.util.List;

/**
 * One model to validate: the original ({@code source}, a SavedModel directory or frozen .pb), the converted
 * {@code .tflite}, how to generate inputs and what drift is acceptable. {@code sourceLabel} is how the source is
 * named in reports (a path relative to the project, so reports hold no absolute paths).
 */
public record ValidationRequest(
    String modelName,
    Path source,
    String sourceLabel,
    List<String> tags,
    Path tflite,
    String quantization,
    int samples,
    long seed,
    double inputMin,
    double inputMax,
    Tolerance tolerance) {

  public ValidationRequest {
    tags = List.copyOf(tags);
    if (samples < 1) {
      throw new IllegalArgumentException("model '" + modelName + "': <samples> must be at least 1, got " + samples);
    }
    if (!(inputMin < inputMax)) {
      throw new IllegalArgumentException("model '" + modelName + "': the input range needs min < max, got [" + inputMin + ", " + inputMax + "]");
    }
  }
}
