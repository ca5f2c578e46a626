package dev.tflite.pipeline;

/**
 * A per-model setting, named by the pipeline in its messages and spelled by each front end in its own way
 * ({@code <quantization>} in a POM, {@code --quantization} on the command line): see {@link Spelling}.
 */
public enum Setting {
  MODELS,
  NAME,
  SOURCE,
  QUANTIZATION,
  SIGNATURE,
  TAGS,
  INPUT_SHAPES,
  SAMPLES,
  SEED,
  INPUT_RANGE,
  TOLERANCE,
  OUTPUT_TOLERANCES,
  ON_DRIFT,
  FALLBACK_LIMIT,
  BATCH_SIZES,
  OLDEST_RUNTIME_SAMPLES,
  INPUTS_DIRECTORY,
  GOLDEN,
  CALIBRATION_DIRECTORY,
  CALIBRATION_SAMPLES,
  CALIBRATION_RANGE,
  INPUT_TYPE,
  OUTPUT_TYPE,
  KEEP_FLOAT_OP_TYPE,
  KEEP_FLOAT_NODE,
  INTEGER_ONLY,
  TARGET_RUNTIME
}
