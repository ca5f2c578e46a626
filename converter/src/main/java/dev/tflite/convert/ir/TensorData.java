package dev.tflite.convert.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Constant tensor contents: element type, shape and little-endian bytes. Treated as immutable: every method
 * that "changes" data returns a new instance, and callers never write into {@link #bytes()}.
 *
 * <p>Contents may also be a view of bytes held elsewhere (a weight inside a parsed GraphDef): {@link #view()} reads
 * them in place, and {@link #bytes()} copies them out only when first asked, so a weight that is transposed or
 * quantized anyway is never copied just to be read.
 */
public final class TensorData {
  private final DType type;
  private final long[] shape;
  private final ByteBuffer source; // read-only, little-endian; null when created from an array
  private byte[] bytes; // the contents, copied out of source on first use

  public TensorData(DType type, long[] shape, byte[] bytes) {
    this(type, shape, bytes, null, bytes.length);
  }

  private TensorData(DType type, long[] shape, byte[] bytes, ByteBuffer source, long size) {
    long expected = Shapes.elementCount(shape) * type.byteSize();
    if (expected != size) {
      throw new IllegalArgumentException("tensor of " + type + Arrays.toString(shape) + " needs " + expected + " bytes, got " + size);
    }
    this.type = type;
    this.shape = shape.clone();
    this.bytes = bytes;
    this.source = source;
  }

  /** Contents read in place from {@code source}'s remaining bytes, which must not change afterwards. */
  public static TensorData viewOf(DType type, long[] shape, ByteBuffer source) {
    ByteBuffer view = source.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return new TensorData(type, shape, null, view, view.remaining());
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
    if (bytes == null) {
      byte[] copy = new byte[source.remaining()];
      source.duplicate().get(copy);
      bytes = copy;
    }
    return bytes;
  }

  /**
   * This data's own array, when it is held in one (not a view) and no data in {@code others} shares it: only then may a
   * pass that replaces every use of this data write into the array instead of allocating another (a weight of a large
   * model is megabytes; each extra copy costs a GC cycle). Null otherwise.
   */
  public byte[] exclusiveArray(Iterable<TensorData> others) {
    if (bytes == null || source != null) {
      return null;
    }
    for (TensorData other : others) {
      if (other != this && other.bytes == bytes) {
        return null;
      }
    }
    return bytes;
  }

  /** The contents as a read-only little-endian buffer, without copying them. */
  public ByteBuffer view() {
    return source != null ? source.duplicate().order(ByteOrder.LITTLE_ENDIAN) : ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public int byteSize() {
    return source != null ? source.remaining() : bytes.length;
  }

  public float[] floats() {
    requireType(DType.FLOAT32);
    float[] out = new float[(int) elementCount()];
    FloatBuffer floats = view().asFloatBuffer();
    floats.get(out);
    return out;
  }

  /** Integer contents widened to long (INT32 or INT64), as used for shapes, axes and paddings. */
  public long[] longs() {
    ByteBuffer view = view();
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
    return source != null ? new TensorData(type, newShape, bytes, source, source.remaining()) : new TensorData(type, newShape, bytes);
  }

  private void requireType(DType expected) {
    if (type != expected) {
      throw new IllegalStateException("expected " + expected + " tensor, got " + type);
    }
  }
}
