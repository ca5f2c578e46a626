package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.TensorData;

/** Symmetric int8 quantization of constant float weights, per tensor or per channel. */
public final class WeightQuantization {
  private WeightQuantization() {}

  public record Quantized(TensorData data, Quantization quantization) {}

  /**
   * Quantizes to int8 in [-127, 127] with zero point 0 and scale max|w| / 127, per slice along {@code axis}, or for
   * the whole tensor when {@code axis} is -1. An all-zero slice gets scale 1 (kernels need a positive scale).
   */
  public static Quantized symmetricInt8(TensorData weights, int axis) {
    float[] w = weights.floats();
    long[] shape = weights.shape();
    int channels = axis < 0 ? 1 : (int) shape[axis];
    long inner = 1;
    for (int d = axis + 1; axis >= 0 && d < shape.length; d++) {
      inner *= shape[d];
    }
    // Element i belongs to channel (i / inner) % channels: walk it as [outer][channel][inner] blocks instead of dividing.
    int block = axis < 0 ? Math.max(1, w.length) : (int) inner;
    float[] maxAbs = new float[channels];
    for (int start = 0; start < w.length; start += block) {
      int c = (start / block) % channels;
      float m = maxAbs[c];
      for (int i = start; i < start + block; i++) {
        m = Math.max(m, Math.abs(w[i]));
      }
      maxAbs[c] = m;
    }
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = maxAbs[c] > 0 ? maxAbs[c] / 127f : 1f;
    }
    byte[] q = new byte[w.length];
    for (int start = 0; start < w.length; start += block) {
      float scale = scales[(start / block) % channels];
      for (int i = start; i < start + block; i++) {
        q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
      }
    }
    return new Quantized(new TensorData(DType.INT8, shape, q), new Quantization(scales, new long[channels], Math.max(axis, 0)));
  }
}
