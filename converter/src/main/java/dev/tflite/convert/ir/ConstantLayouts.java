package dev.tflite.convert.ir;

/** Layout changes of constant tensors (weights), done once at conversion time. */
public final class ConstantLayouts {
  private ConstantLayouts() {}

  /** Permutes dimensions: output dimension i is input dimension {@code perm[i]}. Works for any element type. */
  public static TensorData transpose(TensorData data, int[] perm) {
    long[] inShape = data.shape();
    int rank = inShape.length;
    long[] outShape = new long[rank];
    for (int i = 0; i < rank; i++) {
      outShape[i] = inShape[perm[i]];
    }
    long[] inStrides = strides(inShape);
    int elementSize = data.type().byteSize();
    if (elementSize == 4) {
      return new TensorData(data.type(), outShape, transpose32(data.bytes(), outShape, inStrides, perm));
    }
    byte[] in = data.bytes();
    byte[] out = new byte[in.length];
    long count = data.elementCount();
    int[] index = new int[rank];
    for (long o = 0; o < count; o++) {
      long source = 0;
      for (int d = 0; d < rank; d++) {
        source += index[d] * inStrides[perm[d]];
      }
      System.arraycopy(in, (int) (source * elementSize), out, (int) (o * elementSize), elementSize);
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < outShape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return new TensorData(data.type(), outShape, out);
  }

  /** 4-byte elements (float32, int32) moved as ints: the hot path for convolution weights. */
  private static byte[] transpose32(byte[] in, long[] outShape, long[] inStrides, int[] perm) {
    int[] source = new int[in.length / 4];
    java.nio.ByteBuffer.wrap(in).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(source);
    int[] target = new int[source.length];
    int rank = outShape.length;
    int[] index = new int[rank];
    long[] step = new long[rank];
    for (int d = 0; d < rank; d++) {
      step[d] = inStrides[perm[d]];
    }
    long offset = 0;
    for (int o = 0; o < target.length; o++) {
      target[o] = source[(int) offset];
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < outShape[d]) {
          offset += step[d];
          break;
        }
        offset -= step[d] * (outShape[d] - 1);
        index[d] = 0;
      }
    }
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(in.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.asIntBuffer().put(target);
    return out.array();
  }

  private static long[] strides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i];
    }
    return strides;
  }

  public static TensorData zeros(long length) {
    return TensorData.ofFloats(new long[] {length}, new float[Math.toIntExact(length)]);
  }

  public static TensorData int32Vector(long... values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = Math.toIntExact(values[i]);
    }
    return TensorData.ofInts(new long[] {values.length}, ints);
  }

  /** Integer constants (int32 or int64) as int32, the type TensorFlow Lite kernels expect for shapes and axes. */
  public static TensorData toInt32(TensorData data) {
    return data.type() == DType.INT32 ? data : TensorData.ofInts(data.shape(), data.ints());
  }
}
