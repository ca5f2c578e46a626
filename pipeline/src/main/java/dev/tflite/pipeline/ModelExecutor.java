package dev.tflite.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one task per model on at most {@code threads} threads; results come back in the models' order. */
public final class ModelExecutor {
  private ModelExecutor() {}

  public static <T> List<T> run(List<ModelPlan> plans, int threads, Function<ModelPlan, T> task) {
    int pool = Math.max(1, Math.min(threads, plans.size()));
    if (pool == 1) {
      return plans.stream().map(task).toList();
    }
    ExecutorService executor = Executors.newFixedThreadPool(pool, r -> {
      Thread t = new Thread(r, "tflite-model");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (ModelPlan plan : plans) {
        futures.add(executor.submit(() -> task.apply(plan)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while processing models", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("unexpected failure while processing a model: " + e.getCause(), e.getCause());
    } finally {
      executor.shutdownNow();
    }
  }
}
