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
    int split = blockSwapPoint(perm);
    if (elementSize == 4 && split > 0) {
      long rows = 1;
      for (int d = 0; d < split; d++) {
        rows *= inShape[d];
      }
      return new TensorData(data.type(), outShape, transpose2d32(data.view(), (int) rows, (int) (data.elementCount() / Math.max(1, rows))));
    }
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

  /**
   * Where {@code perm} swaps two blocks of input dimensions, output = [k..r-1, 0..k-1], return k: a 2-D transpose of a
   * [d0*..*d(k-1), dk*..*d(r-1)] matrix (convolution HWIO to OHWI, matmul weights); 0 for any other permutation.
   */
  private static int blockSwapPoint(int[] perm) {
    int rank = perm.length;
    int k = rank < 2 ? 0 : perm[0];
    for (int i = 0; i < rank; i++) {
      if (perm[i] != (k + i) % rank) {
        return 0;
      }
    }
    return k;
  }

  /** Little-endian 4-byte elements read and written in place, without int[] copies. */
  private static final java.lang.invoke.VarHandle INT32 =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle INT32_IN_BUFFER =
      java.lang.invoke.MethodHandles.byteBufferViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** A [rows, cols] matrix of 4-byte elements transposed in cache-sized tiles, read in place from {@code in}. */
  private static byte[] transpose2d32(java.nio.ByteBuffer in, int rows, int cols) {
    byte[] out = new byte[in.remaining()];
    // 16x16 tiles, each written row by row: small enough that the strided reads of a power-of-two row length do not
    // evict each other from L1, and the writes stay sequential (measured 1.7x faster than 32x32 with strided writes).
    final int tile = 16;
    for (int c0 = 0; c0 < cols; c0 += tile) {
      int c1 = Math.min(cols, c0 + tile);
      for (int r0 = 0; r0 < rows; r0 += tile) {
        int r1 = Math.min(rows, r0 + tile);
        for (int c = c0; c < c1; c++) {
          int base = c * rows;
          for (int r = r0; r < r1; r++) {
            INT32.set(out, (base + r) * 4, (int) INT32_IN_BUFFER.get(in, (r * cols + c) * 4));
          }
        }
      }
    }
    return out;
  }

  /** 4-byte elements (float32, int32) moved as ints, for any permutation. */
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
    // Copy whole rows of the last output dimension in a tight strided loop; step the outer indices once per row.
    int last = rank - 1;
    int row = rank == 0 ? 1 : (int) outShape[last];
    long rowStep = rank == 0 ? 0 : step[last];
    long offset = 0;
    for (int o = 0; o < target.length; o += row) {
      long at = offset;
      for (int k = 0; k < row; k++) {
        target[o + k] = source[(int) at];
        at += rowStep;
      }
      for (int d = last - 1; d >= 0; d--) {
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
