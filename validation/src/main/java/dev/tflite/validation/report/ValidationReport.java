package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result of validating one model; serialised as {@code <name>.json} with this key order. No timestamps or
 * absolute paths, so identical builds give identical reports.
 */
@JsonPropertyOrder({"model", "source", "quantization", "passed", "sizeBytes", "signature", "samples", "seed", "inputRange",
    "inputs", "outputs", "runtimes"})
public record ValidationReport(
    String model,
    String source,
    String quantization,
    boolean passed,
    long sizeBytes,
    String signature,
    int samples,
    long seed,
    double[] inputRange,
    List<Port> inputs,
    List<OutputDrift> outputs,
    Runtimes runtimes) {

  /** A signature input as the converted model declares it. */
  @JsonPropertyOrder({"name", "type", "shape"})
  public record Port(String name, String type, int[] shape) {}

  /** The reference and candidate runtimes. */
  @JsonPropertyOrder({"reference", "candidate"})
  public record Runtimes(String reference, String candidate) {}

  public List<OutputDrift> failingOutputs() {
    return outputs.stream().filter(o -> !o.passed()).toList();
  }

  public double worstMaxAbsError() {
    return outputs.stream().mapToDouble(OutputDrift::maxAbsError).max().orElse(0);
  }
}
