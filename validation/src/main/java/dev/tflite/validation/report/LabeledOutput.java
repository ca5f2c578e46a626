package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A classifier output read through its labels: the top-1 class of the first samples by name, in the original and in
 * the converted model, and the share of all samples whose top-1 class agrees.
 */
@JsonPropertyOrder({"output", "labelsFile", "top1Agreement", "firstSamples"})
public record LabeledOutput(String output, String labelsFile, Double top1Agreement, List<Top1> firstSamples) {
  /** One sample's top-1 class name and score in the reference and the candidate. */
  @JsonPropertyOrder({"sample", "reference", "referenceScore", "candidate", "candidateScore"})
  public record Top1(int sample, String reference, double referenceScore, String candidate, double candidateScore) {}
}
