package dev.tflite.validation;

import dev.tflite.validation.compare.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Validation beyond the basic request: where the converter's debug artifacts are (three-way and per-layer drift),
 * tolerances for single outputs, user input data instead of random inputs, and golden outputs.
 *
 * @param debugDirectory the converter's debug artifacts, or null
 * @param outputTolerances tolerances for single outputs by name, replacing the model's
 * @param inputs a folder of .npy files or images to feed instead of seeded random values, or null
 * @param golden recorded reference outputs to write or to check against, or null
 * @param batchSizes batch sizes to run (a dynamic-batch model is resized to each); default 1
 * @param oldestRuntimeSamples how many of the first samples also run in TensorFlow Lite 2.6.2, the oldest runtime the
 *     converter writes for, held to the same tolerance; 0 checks only that the file loads there. Default
 *     {@value #DEFAULT_OLDEST_RUNTIME_SAMPLES}: that runtime's x86 build takes seconds per sample on a large integer model.
 * @param baseline the previous release's file to compare the new one with, or null
 */
public record ValidationOptions(Path debugDirectory, Map<String, Tolerance> outputTolerances, InputFolder inputs, Golden golden,
    List<Integer> batchSizes, int oldestRuntimeSamples, Baseline baseline) {
  public static final int DEFAULT_OLDEST_RUNTIME_SAMPLES = 1;

  public ValidationOptions {
    outputTolerances = Map.copyOf(outputTolerances);
    batchSizes = batchSizes == null || batchSizes.isEmpty() ? List.of(1) : List.copyOf(batchSizes);
    if (oldestRuntimeSamples < 0) {
      throw new IllegalArgumentException("oldestRuntimeSamples must be 0 or more, not " + oldestRuntimeSamples);
    }
  }

  public ValidationOptions(Path debugDirectory, Map<String, Tolerance> outputTolerances, InputFolder inputs, Golden golden,
      List<Integer> batchSizes, int oldestRuntimeSamples) {
    this(debugDirectory, outputTolerances, inputs, golden, batchSizes, oldestRuntimeSamples, null);
  }

  public ValidationOptions(Path debugDirectory, Map<String, Tolerance> outputTolerances, InputFolder inputs, Golden golden,
      List<Integer> batchSizes) {
    this(debugDirectory, outputTolerances, inputs, golden, batchSizes, DEFAULT_OLDEST_RUNTIME_SAMPLES);
  }

  /** Batch size 1 only. */
  public ValidationOptions(Path debugDirectory, Map<String, Tolerance> outputTolerances, InputFolder inputs, Golden golden) {
    this(debugDirectory, outputTolerances, inputs, golden, List.of(1));
  }

  public ValidationOptions withOldestRuntimeSamples(int samples) {
    return new ValidationOptions(debugDirectory, outputTolerances, inputs, golden, batchSizes, samples, baseline);
  }

  public ValidationOptions withBaseline(Baseline b) {
    return new ValidationOptions(debugDirectory, outputTolerances, inputs, golden, batchSizes, oldestRuntimeSamples, b);
  }

  /**
   * The previous release's {@code .tflite} ({@code label}: as reports name it); {@code tolerance} bounds the new
   * model's drift from it (null: reported, never failing). A missing file is a first release.
   */
  public record Baseline(Path file, String label, Tolerance tolerance) {}

  public static ValidationOptions defaults() {
    return new ValidationOptions(null, Map.of(), null, null);
  }

  /**
   * User inputs: {@code .npy} files (one per sample, or one {@code <input>.npy} per input with a leading sample axis)
   * or images (PNG, JPEG, BMP), resized to the input's height and width and normalised as {@code pixel * scale + offset}
   * (pixels 0–255; grayscale for one channel).
   */
  public record InputFolder(Path directory, double imageScale, double imageOffset) {}

  /**
   * Golden outputs: {@code record} writes the reference outputs of each sample under {@code directory}; {@code check}
   * compares the converted model with the recorded outputs instead of running the original.
   */
  public record Golden(Path directory, Mode mode) {
    public enum Mode { RECORD, CHECK }
  }
}
