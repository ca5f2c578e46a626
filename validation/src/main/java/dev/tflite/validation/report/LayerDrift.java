package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Drift of one layer's output (a TensorFlow Lite tensor against the reference tensor it came from), in execution
 * order. {@code normalizedError} is RMSE over the reference's RMS; {@code rmseOverScale} is RMSE in quantization steps
 * for integer tensors (about 0.29 for a well-quantized layer, above 0.7 worth a look); {@code flagged} marks the
 * first layer where drift jumps.
 */
@JsonPropertyOrder({"tensor", "source", "op", "origin", "type", "maxAbsError", "rmse", "normalizedError", "rmseOverScale", "flagged"})
public record LayerDrift(String tensor, String source, String op, String origin, String type, double maxAbsError, double rmse,
    double normalizedError, Double rmseOverScale, boolean flagged) {

  public LayerDrift withFlag(boolean flag) {
    return new LayerDrift(tensor, source, op, origin, type, maxAbsError, rmse, normalizedError, rmseOverScale, flag);
  }
}
