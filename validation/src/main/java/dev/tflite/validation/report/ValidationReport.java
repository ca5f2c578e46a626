package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result of validating one model; serialised as {@code <name>.json} with this key order (documented in the
 * site's drift-report page). No timestamps or absolute paths, so identical builds give identical reports.
 */
@JsonPropertyOrder({"model", "source", "quantization", "passed", "sizeBytes", "signature", "samples", "batchSizes", "seed", "inputRange",
    "inputs", "outputs", "diagnostics", "firstDriftingLayer", "layers", "facts", "fallback", "runtimes",
    "metadata", "labeledOutputs", "baseline"})
public record ValidationReport(
    String model,
    String source,
    String quantization,
    boolean passed,
    long sizeBytes,
    String signature,
    int samples,
    List<Integer> batchSizes,
    long seed,
    double[] inputRange,
    List<Port> inputs,
    List<OutputDrift> outputs,
    List<String> diagnostics,
    String firstDriftingLayer,
    List<LayerDrift> layers,
    ModelFacts facts,
    Fallback fallback,
    Runtimes runtimes,
    EmbeddedMetadata metadata,
    List<LabeledOutput> labeledOutputs,
    BaselineReport baseline) {

  /**
   * An input as the converted model declares it, and the original's input it was fed alongside: {@code matchedBy} is
   * {@code signature}, {@code name} or {@code position} (see {@code PortMatch}); null where nothing was matched (golden
   * outputs). {@code alsoRunAt}: for a file that keeps an open sequence length, the other shape the input was resized
   * to and validated at (against TensorFlow running the model built at that length); null otherwise.
   */
  @JsonPropertyOrder({"name", "type", "shape", "matchedBy", "original", "alsoRunAt"})
  public record Port(String name, String type, int[] shape, String matchedBy, String original, int[] alsoRunAt) {
    public Port(String name, String type, int[] shape) {
      this(name, type, shape, null, null, null);
    }

    public Port(String name, String type, int[] shape, String matchedBy, String original) {
      this(name, type, shape, matchedBy, original, null);
    }
  }

  /**
   * The reference and candidate runtimes, and the oldest runtime the file was loaded in ({@code oldestSamples} of the
   * first samples also ran there; null when the candidate is not a converted file, as for golden checks).
   */
  @JsonPropertyOrder({"reference", "candidate", "oldest", "oldestSamples"})
  public record Runtimes(String reference, String candidate, String oldest, int oldestSamples) {}

  /** Accuracy-aware fallback: the layers kept in float to meet the tolerance, and the resulting size. */
  @JsonPropertyOrder({"firstDriftingLayer", "keptInFloat", "sizeBytesBefore", "sizeBytes", "attempts"})
  public record Fallback(String firstDriftingLayer, List<String> keptInFloat, long sizeBytesBefore, long sizeBytes, int attempts) {}

  public List<OutputDrift> failingOutputs() {
    return outputs.stream().filter(o -> !o.passed()).toList();
  }

  public double worstMaxAbsError() {
    return outputs.stream().mapToDouble(OutputDrift::maxAbsError).max().orElse(0);
  }

  public ValidationReport withFallback(Fallback f) {
    return new ValidationReport(model, source, quantization, passed, sizeBytes, signature, samples, batchSizes, seed, inputRange, inputs, outputs,
        diagnostics, firstDriftingLayer, layers, facts, f, runtimes, metadata, labeledOutputs, baseline);
  }
}
