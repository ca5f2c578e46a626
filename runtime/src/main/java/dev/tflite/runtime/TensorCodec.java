package dev.tflite.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float samples to and from a tensor's own bytes, the same for every interpreter and every file (ours or another
 * converter's): quantized inputs (int8, uint8, int16) are quantized with the tensor's own scale and zero point, rounded
 * half away from zero and clamped to the type's range, as an application feeding such a model would, and quantized
 * outputs dequantized with theirs, so they compare with the float original.
 */
final class TensorCodec {
  private TensorCodec() {}

  static ByteBuffer encode(String name, TensorType type, float scale, int zeroPoint, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * width(name, type)).order(ByteOrder.nativeOrder());
    switch (type) {
      case FLOAT32 -> buffer.asFloatBuffer().put(values);
      case INT32 -> {
        for (float v : values) {
          buffer.putInt(Math.round(v));
        }
      }
      case INT8, UINT8 -> {
        int min = type == TensorType.INT8 ? -128 : 0;
        for (float v : values) {
          buffer.put((byte) quantize(v, scale, zeroPoint, min, min + 255));
        }
      }
      case INT16 -> {
        for (float v : values) {
          buffer.putShort((short) quantize(v, scale, zeroPoint, Short.MIN_VALUE, Short.MAX_VALUE));
        }
      }
      default -> throw new IllegalStateException("input '" + name + "' is " + type + "; validation feeds float32, int32, int8, uint8 or int16");
    }
    buffer.rewind();
    return buffer;
  }

  static float[] decode(String name, TensorType type, float scale, int zeroPoint, ByteBuffer buffer) {
    buffer.order(ByteOrder.nativeOrder());
    switch (type) {
      case FLOAT32 -> {
        float[] values = new float[buffer.capacity() / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return values;
      }
      case INT8, UINT8 -> {
        float[] values = new float[buffer.capacity()];
        for (int i = 0; i < values.length; i++) {
          int raw = type == TensorType.INT8 ? buffer.get(i) : buffer.get(i) & 0xff;
          values[i] = (raw - zeroPoint) * scale;
        }
        return values;
      }
      case INT16 -> {
        float[] values = new float[buffer.capacity() / Short.BYTES];
        for (int i = 0; i < values.length; i++) {
          values[i] = (buffer.getShort(i * Short.BYTES) - zeroPoint) * scale;
        }
        return values;
      }
      default -> throw new IllegalStateException("output '" + name + "' is " + type + "; only float32, int8, uint8 and int16 outputs are compared");
    }
  }

  /** The TensorFlow Lite quantize op's rounding: to nearest, halves away from zero, then clamped. */
  private static long quantize(float v, float scale, int zeroPoint, int min, int max) {
    if (scale <= 0) {
      throw new IllegalStateException("a quantized input has scale " + scale + "; the file carries no usable quantization parameters");
    }
    float scaled = v / scale; // in float, as the kernel divides
    long q = scaled >= 0 ? Math.round(scaled) : -Math.round(-scaled);
    return Math.max(min, Math.min(max, q + zeroPoint));
  }

  private static int width(String name, TensorType type) {
    return switch (type) {
      case FLOAT32, INT32 -> 4;
      case INT8, UINT8 -> 1;
      case INT16 -> 2;
      default -> throw new IllegalStateException("input '" + name + "' is " + type + "; validation feeds float32, int32, int8, uint8 or int16");
    };
  }
}
