package dev.tflite.convert.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Constant tensor contents: element type, shape and little-endian bytes. Treated as immutable: every method
 * that "changes" data returns a new instance, and callers never write into {@link #bytes()}.
 */
public final class TensorData {
  private final DType type;
  private final long[] shape;
  private final byte[] bytes;

  public TensorData(DType type, long[] shape, byte[] bytes) {
    long expected = Shapes.elementCount(shape) * type.byteSize();
    if (expected != bytes.length) {
      throw new IllegalArgumentException("tensor of " + type + Arrays.toString(shape) + " needs " + expected + " bytes, got " + bytes.length);
    }
    this.type = type;
    this.shape = shape.clone();
    this.bytes = bytes;
  }

  public static TensorData ofFloats(long[] shape, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return new TensorData(DType.FLOAT32, shape, buffer.array());
  }

  public static TensorData ofInts(long[] shape, int[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asIntBuffer().put(values);
    return new TensorData(DType.INT32, shape, buffer.array());
  }

  public DType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long elementCount() {
    return Shapes.elementCount(shape);
  }

  /** The raw little-endian bytes; do not modify. */
  public byte[] bytes() {
    return bytes;
  }

  public float[] floats() {
    requireType(DType.FLOAT32);
    float[] out = new float[(int) elementCount()];
    FloatBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    view.get(out);
    return out;
  }

  /** Integer contents widened to long (INT32 or INT64), as used for shapes, axes and paddings. */
  public long[] longs() {
    ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[(int) elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (type) {
        case INT32 -> view.getInt(i * 4);
        case INT64 -> view.getLong(i * 8);
        default -> throw new IllegalStateException("expected an integer tensor, got " + type);
      };
    }
    return out;
  }

  public int[] ints() {
    return Arrays.stream(longs()).mapToInt(Math::toIntExact).toArray();
  }

  public TensorData reshaped(long[] newShape) {
    return new TensorData(type, newShape, bytes);
  }

  private void requireType(DType expected) {
    if (type != expected) {
      throw new IllegalStateException("expected " + expected + " tensor, got " + type);
    }
  }
}
