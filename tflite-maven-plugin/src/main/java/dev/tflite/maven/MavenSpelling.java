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
    };
  }
}
