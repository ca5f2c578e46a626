package dev.tflite.maven;

import dev.tflite.pipeline.Setting;
import dev.tflite.pipeline.Spelling;

/** Settings as a POM writes them: {@code <samples>0</samples>}, {@code <inputShapes>/<x>1,?,3</x>}. */
final class MavenSpelling implements Spelling {
  @Override
  public String model(int index, String name) {
    return "<models>/<model>[" + index + "]" + (name == null ? "" : " '" + name + "'");
  }

  @Override
  public String setting(Setting setting) {
    return "<" + element(setting).replace("/", ">/<") + ">";
  }

  @Override
  public String value(Setting setting, String key, Object value) {
    String element = element(setting);
    if (key != null && element.startsWith("metadata/")) {
      // metadata is configured per input/output element: name the one the value belongs to
      String[] parts = element.split("/");
      return "<metadata>/<" + parts[1] + ">/<" + parts[2] + "> '" + key + "': <" + parts[3] + ">" + value + "</" + parts[3] + ">";
    }
    if (key != null && setting == Setting.BASELINE_TOLERANCE) {
      return "<baselineTolerance>/<" + key + ">" + value + "</" + key + ">";
    }
    if (key != null) {
      return "<" + element + ">/<" + key + ">" + value + "</" + key + ">";
    }
    StringBuilder path = new StringBuilder();
    String[] parts = element.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      path.append('<').append(parts[i]).append(">/");
    }
    String leaf = parts[parts.length - 1];
    return path + "<" + leaf + ">" + value + "</" + leaf + ">";
  }

  private static String element(Setting setting) {
    return switch (setting) {
      case MODELS -> "models";
      case NAME -> "name";
      case SOURCE -> "source";
      case QUANTIZATION -> "quantization";
      case SIGNATURE -> "signature";
      case TAGS -> "tags";
      case INPUT_SHAPES -> "inputShapes";
      case SAMPLES -> "samples";
      case SEED -> "seed";
      case INPUT_RANGE -> "inputRange";
      case TOLERANCE -> "tolerance";
      case OUTPUT_TOLERANCES -> "outputTolerances";
      case ON_DRIFT -> "onDrift";
      case FALLBACK_LIMIT -> "fallbackLimit";
      case BATCH_SIZES -> "batchSizes";
      case OLDEST_RUNTIME_SAMPLES -> "oldestRuntimeSamples";
      case INPUTS_DIRECTORY -> "inputs/directory";
      case GOLDEN -> "golden";
      case CALIBRATION_DIRECTORY -> "calibration/directory";
      case CALIBRATION_SAMPLES -> "calibration/samples";
      case CALIBRATION_RANGE -> "calibration/inputRange";
      case INPUT_TYPE -> "inputType";
      case OUTPUT_TYPE -> "outputType";
      case KEEP_FLOAT_OP_TYPE -> "keepFloat/opTypes/opType";
      case KEEP_FLOAT_NODE -> "keepFloat/nodes/node";
      case INTEGER_ONLY -> "integerOnly";
      case TARGET_RUNTIME -> "targetRuntime";
      case METADATA_INPUT -> "metadata/inputs/input/name";
      case METADATA_OUTPUT -> "metadata/outputs/output/name";
      case METADATA_INPUT_CONTENT -> "metadata/inputs/input/content";
      case METADATA_COLOR_SPACE -> "metadata/inputs/input/colorSpace";
      case METADATA_MEAN -> "metadata/inputs/input/mean";
      case METADATA_STD -> "metadata/inputs/input/std";
      case METADATA_SAMPLE_RATE -> "metadata/inputs/input/sampleRate";
      case METADATA_INPUT_RANGE -> "metadata/inputs/input/range";
      case METADATA_OUTPUT_CONTENT -> "metadata/outputs/output/content";
      case METADATA_LABELS -> "metadata/outputs/output/labels";
      case METADATA_OUTPUT_RANGE -> "metadata/outputs/output/range";
      case BASELINE -> "baseline";
      case BASELINE_TOLERANCE -> "baselineTolerance";
    };
  }
}
