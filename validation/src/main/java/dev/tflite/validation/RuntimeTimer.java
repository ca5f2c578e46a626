package dev.tflite.validation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Wall time spent inside TensorFlow and TensorFlow Lite calls during validation (opening and running models, waiting
 * for the oldest-runtime samples), so that benchmarks can tell the plugin's own work from the runtimes'. Timings never
 * reach the report, which must be the same on every run.
 */
public final class RuntimeTimer {
  private final AtomicLong nanos = new AtomicLong();

  public <T> T time(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  public long nanos() {
    return nanos.get();
  }
}
