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
    if (setting == Setting.TOLERANCE && key != null) {
      return toleranceOption(key) + " " + value;
    }
    return option(setting) + " " + (key == null ? "" : key + "=") + value;
  }

  /** The option of each tolerance limit (the POM's {@code <tolerance>} element names). */
  private static String toleranceOption(String limit) {
    return switch (limit) {
      case "maxAbsError" -> "--max-abs-error";
      case "meanAbsError" -> "--mean-abs-error";
      case "rmse" -> "--rmse";
      case "p99AbsError" -> "--p99-abs-error";
      case "relativeError" -> "--relative-error";
      case "minCosineSimilarity" -> "--min-cosine";
      case "minSnrDb" -> "--min-snr-db";
      case "minTop1Agreement" -> "--min-top1";
      case "maxAbsErrorInSteps" -> "--max-abs-error-in-steps";
      case "minReferenceSpread" -> "--min-reference-spread";
      default -> "--" + limit;
    };
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
      case TARGET_RUNTIME -> "--target-runtime";
      case METADATA_INPUT -> "the input named by an --input-* metadata option";
      case METADATA_OUTPUT -> "the output named by an --output-* metadata option";
      case METADATA_INPUT_CONTENT -> "--input-content";
      case METADATA_COLOR_SPACE -> "--input-color-space";
      case METADATA_MEAN -> "--input-mean";
      case METADATA_STD -> "--input-std";
      case METADATA_SAMPLE_RATE -> "--input-sample-rate";
      case METADATA_INPUT_RANGE -> "--input-value-range";
      case METADATA_OUTPUT_CONTENT -> "--output-content";
      case METADATA_LABELS -> "--output-labels";
      case METADATA_OUTPUT_RANGE -> "--output-value-range";
      case BASELINE -> "--baseline";
      case BASELINE_TOLERANCE -> "--baseline-tolerance";
    };
  }
}
