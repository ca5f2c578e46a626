package dev.tflite.convert.tf;

import java.util.function.Supplier;

/**
 * Wall time spent inside TensorFlow calls (loading a SavedModel, importing a graph, running a session) by the
 * conversion on this thread, so that a conversion can report how much of its time is TensorFlow's and how much its
 * own. A conversion runs on one thread; parallel conversions each count their own.
 */
public final class TensorFlowTime {
  private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

  private TensorFlowTime() {}

  public static <T> T measure(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      NANOS.get()[0] += System.nanoTime() - start;
    }
  }

  public static void measure(Runnable call) {
    measure(() -> {
      call.run();
      return null;
    });
  }

  /** The time counted on this thread since the last call, in nanoseconds; starts counting anew. */
  public static long takeNanos() {
    long[] n = NANOS.get();
    long value = n[0];
    n[0] = 0;
    return value;
  }
}
