package dev.tflite.pipeline;

import dev.tflite.validation.compare.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One model as a user configured it, not yet checked: what a POM {@code <model>} or a command line says, in the
 * pipeline's own terms. {@link ModelPlanner} checks every spec and turns it into a {@link ModelPlan}. Null means "not
 * set" (the default applies).
 */
public final class ModelSpec {
  public String name;
  public Path source;
  /** The converted file; null: {@code <outputDirectory>/<name>.tflite}. */
  public Path output;
  public String quantization;
  public String signature;
  public List<String> tags;
  /** Shapes for inputs with unknown dimensions, by input name, written {@code 1,224,224,3}. */
  public Map<String, String> inputShapes;
  public int samples = 32;
  public long seed = 42;
  /** Range of the seeded random validation inputs; default the calibration range, else [0, 1]. */
  public Range inputRange;
  /** Null: the mode's default tolerance. */
  public Tolerance tolerance;
  public Map<String, Tolerance> outputTolerances;
  /** {@code fail} or {@code fallback}. */
  public String onDrift;
  public int fallbackLimit = 3;
  public List<Integer> batchSizes;
  public int oldestRuntimeSamples = dev.tflite.validation.ValidationOptions.DEFAULT_OLDEST_RUNTIME_SAMPLES;
  public Inputs inputs;
  public Golden golden;
  public Calibration calibration;
  public String inputType;
  public String outputType;
  public boolean perChannel = true;
  public List<String> keepFloatOpTypes;
  public List<String> keepFloatNodes;
  public boolean integerOnly;
  /** The oldest TensorFlow Lite runtime the file must run in ("2.6" when null). */
  public String targetRuntime;
  /** TensorFlow Lite metadata to embed in the file; null: none. */
  public Metadata metadata;
  /** A previous release's .tflite to compare with; null: none. A missing file is a first release, not an error. */
  public Path baseline;
  /** How reports name the baseline (e.g. its Maven coordinates); null: its path relative to the project. */
  public String baselineLabel;
  /** How far the new model may move from the baseline; null: the baseline is reported, never fails the build. */
  public Tolerance baselineTolerance;

  public record Range(double min, double max) {}

  /** Validation inputs from a folder of .npy files or images, normalised as {@code pixel * imageScale + imageOffset}. */
  public record Inputs(Path directory, double imageScale, double imageOffset) {}

  /** Golden outputs: {@code mode} is {@code record} or {@code check}. */
  public record Golden(Path directory, String mode) {}

  /**
   * The model's metadata as configured: strings are checked by the planner (content types, color spaces, numbers),
   * shapes by the converter.
   */
  public record Metadata(String name, String description, String version, String author, String license, List<InputMetadata> inputs,
      List<OutputMetadata> outputs) {}

  /**
   * One input's metadata; {@code tensor} null means the only input. {@code mean}/{@code std}: one number or one per
   * channel, comma-separated; {@code content}: image, features or audio; {@code colorSpace}: RGB or GRAYSCALE.
   */
  public record InputMetadata(String tensor, String content, String colorSpace, String mean, String std, Range range, Long sampleRate) {}

  /** One output's metadata; {@code labels}: a text file with one class name per line. */
  public record OutputMetadata(String tensor, String content, Path labels, Range range) {}

  /** Representative data: a folder of .npy samples, or (directory null) seeded random samples in {@code range}. */
  public record Calibration(Path directory, int samples, long seed, Range range) {}
}
