package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes float values with given affine parameters into integer tensor bytes (little-endian). */
final class QuantizedValues {
  private QuantizedValues() {}

  /** {@code q = clamp(round(v / scale[c]) + zeroPoint[c])}, channel c along {@code quantization.axis()} when per channel. */
  static TensorData encode(TensorData values, Quantization quantization, DType type) {
    float[] v = values.floats();
    long[] shape = values.shape();
    int axis = quantization.axis();
    int channels = quantization.scales().length;
    long inner = 1;
    for (int d = axis + 1; channels > 1 && d < shape.length; d++) {
      inner *= shape[d];
    }
    long min = switch (type) {
      case INT8 -> -128;
      case UINT8 -> 0;
      case INT16 -> -32768;
      case INT32 -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
    long max = switch (type) {
      case INT8 -> 127;
      case UINT8 -> 255;
      case INT16 -> 32767;
      case INT32 -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
    ByteBuffer out = ByteBuffer.allocate(v.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < v.length; i++) {
      int c = channels == 1 ? 0 : (int) ((i / inner) % channels);
      long q = Math.round((double) v[i] / quantization.scales()[c]) + quantization.zeroPoints()[c];
      q = Math.max(min, Math.min(max, q));
      switch (type) {
        case INT8, UINT8 -> out.put((byte) q);
        case INT16 -> out.putShort((short) q);
        case INT32 -> out.putInt((int) q);
        case INT64 -> out.putLong(q);
        default -> throw new IllegalArgumentException("not an integer type: " + type);
      }
    }
    return new TensorData(type, shape, out.array());
  }
}
