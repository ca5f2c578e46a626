package dev.tflite.cli;

import dev.tflite.pipeline.Setting;
import dev.tflite.pipeline.Spelling;

/** Settings as the command line writes them: {@code --samples 0}, {@code --input-shape x=1,?,3}. */
final class CliSpelling implements Spelling {
  @Override
  public String model(int index, String name) {
    return "model '" + (name == null ? "?" : name) + "'";
  }

  @Override
  public String setting(Setting setting) {
    return option(setting);
  }

  @Override
  public String value(Setting setting, String key, Object value) {
    return option(setting) + " " + (key == null ? "" : key + "=") + value;
  }

  private static String option(Setting setting) {
    return switch (setting) {
      case MODELS -> "the model";
      case NAME -> "--name";
      case SOURCE -> "--source";
      case QUANTIZATION -> "--quantization";
      case SIGNATURE -> "--signature";
      case TAGS -> "--tag";
      case INPUT_SHAPES -> "--input-shape";
      case SAMPLES -> "--samples";
      case SEED -> "--seed";
      case INPUT_RANGE -> "--range";
      case TOLERANCE -> "the tolerance (--max-abs-error, --relative-error, --min-cosine, ...)";
      case OUTPUT_TOLERANCES -> "--output-tolerance";
      case ON_DRIFT -> "--on-drift";
      case FALLBACK_LIMIT -> "--fallback-limit";
      case BATCH_SIZES -> "--batch-sizes";
      case OLDEST_RUNTIME_SAMPLES -> "--oldest-runtime-samples";
      case INPUTS_DIRECTORY -> "--inputs";
      case GOLDEN -> "--golden";
      case CALIBRATION_DIRECTORY -> "--calibration-dir";
      case CALIBRATION_SAMPLES -> "--calibration-samples";
      case CALIBRATION_RANGE -> "--calibration-range";
      case INPUT_TYPE -> "--input-type";
      case OUTPUT_TYPE -> "--output-type";
      case KEEP_FLOAT_OP_TYPE -> "--keep-float-op";
      case KEEP_FLOAT_NODE -> "--keep-float-node";
      case INTEGER_ONLY -> "--integer-only";
    };
  }
}
