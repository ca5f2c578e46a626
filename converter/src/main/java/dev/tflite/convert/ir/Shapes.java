package dev.tflite.convert.ir;

import java.util.Arrays;

/** Small helpers over shapes held as {@code long[]} (TensorFlow) and {@code int[]} (TensorFlow Lite). */
public final class Shapes {
  private Shapes() {}

  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is not fully known");
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public static boolean isFullyKnown(long[] shape) {
    return shape != null && Arrays.stream(shape).allMatch(d -> d >= 0);
  }

  public static int[] toInts(long[] shape) {
    return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
  }

  public static String format(long[] shape) {
    return shape == null ? "[?]" : Arrays.toString(shape).replace("-1", "?");
  }
}
