package dev.tflite.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float samples to and from a tensor's own bytes, the same for every interpreter: integer inputs (int8/uint8 models)
 * are quantized with the tensor's scale and zero point, as an application feeding such a model would, and integer
 * outputs dequantized.
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
          long quantized = Math.round(v / scale) + zeroPoint;
          buffer.put((byte) Math.max(min, Math.min(min + 255, quantized)));
        }
      }
      default -> throw new IllegalStateException("input '" + name + "' is " + type + "; validation feeds float32, int32, int8 or uint8");
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
      default -> throw new IllegalStateException("output '" + name + "' is " + type + "; only float32, int8 and uint8 outputs are compared");
    }
  }

  private static int width(String name, TensorType type) {
    return switch (type) {
      case FLOAT32, INT32 -> 4;
      case INT8, UINT8 -> 1;
      default -> throw new IllegalStateException("input '" + name + "' is " + type + "; validation feeds float32, int32, int8 or uint8");
    };
  }
}
