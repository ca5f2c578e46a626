package dev.tflite.validation;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLite26Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The first samples run in the oldest supported runtime (TensorFlow Lite 2.6.2) on a thread of their own, while the
 * main comparison runs: that runtime's x86 build has no optimized integer kernels, and one sample of a large
 * quantized model takes seconds, which overlap with the main loop's single-threaded interpreter instead of adding to
 * it. Outputs are collected in sample order, so the report does not depend on timing.
 */
final class OldestRuntimeRun implements AutoCloseable {
  private final ExecutorService executor;
  private final Future<List<NamedTensors>> outputs;

  private OldestRuntimeRun(ExecutorService executor, Future<List<NamedTensors>> outputs) {
    this.executor = executor;
    this.outputs = outputs;
  }

  static OldestRuntimeRun start(TfLite26Runner runner, List<NamedTensors> samples) {
    ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "tflite-oldest-runtime");
      t.setDaemon(true);
      return t;
    });
    List<NamedTensors> copy = List.copyOf(samples);
    return new OldestRuntimeRun(executor, executor.submit(() -> {
      List<NamedTensors> results = new ArrayList<>();
      for (NamedTensors sample : copy) {
        results.add(runner.run(sample));
      }
      return results;
    }));
  }

  /** The outputs of each sample, in order; waits for the run to finish. */
  List<NamedTensors> outputs(String prefix) {
    try {
      return outputs.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ValidationException(prefix + "interrupted while running TensorFlow Lite " + TfLite26Runner.VERSION, e);
    } catch (ExecutionException e) {
      throw new ValidationException(prefix + "TensorFlow Lite " + TfLite26Runner.VERSION + " failed to run the model: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  @Override
  public void close() {
    outputs.cancel(false);
    executor.shutdown();
    try {
      executor.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES); // the runner closes after this; never under a running invoke
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
