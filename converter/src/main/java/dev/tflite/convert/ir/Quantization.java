package dev.tflite.convert.ir;

/**
 * Affine quantization of a tensor: {@code real = scale * (q - zeroPoint)}. One scale means per-tensor; several
 * mean per-channel along {@code axis}.
 */
public record Quantization(float[] scales, long[] zeroPoints, int axis) {
  public Quantization {
    scales = scales.clone();
    zeroPoints = zeroPoints.clone();
  }

  public boolean perChannel() {
    return scales.length > 1;
  }
}
