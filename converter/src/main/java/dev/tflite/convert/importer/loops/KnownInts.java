package dev.tflite.convert.importer.loops;

import java.util.Arrays;

/**
 * A small integer or boolean tensor whose value the unroller knows (loop counters, trip counts, indices, shapes).
 * Entries of a shape vector may be {@link #UNKNOWN} (an unknown dimension, usually the batch).
 */
record KnownInts(long[] shape, long[] values) {
  static final long UNKNOWN = Long.MIN_VALUE;

  static KnownInts scalar(long value) {
    return new KnownInts(new long[0], new long[] {value});
  }

  static KnownInts vector(long[] values) {
    return new KnownInts(new long[] {values.length}, values.clone());
  }

  boolean isScalar() {
    return values.length == 1 && shape.length <= 1;
  }

  boolean fullyKnown() {
    return Arrays.stream(values).noneMatch(v -> v == UNKNOWN);
  }

  /** The single value, or UNKNOWN. */
  long scalarValue() {
    return values.length == 1 ? values[0] : UNKNOWN;
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
