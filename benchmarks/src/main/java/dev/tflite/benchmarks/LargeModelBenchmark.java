package dev.tflite.benchmarks;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.MobileNetStyle;
import dev.tflite.testmodels.ResNetStyle;
import dev.tflite.testmodels.SavedModelExport;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.RuntimeTimer;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Large models, measured in one run: a ResNet-50-size and a MobileNetV2-size model (seeded weights) converted in
 * {@code none}, {@code dynamic-range} and {@code int8}, with wall time per stage and peak Java heap, then validated on
 * 32 samples; optionally ({@code --over-2gb}) a model just over the flatbuffer limit, which must fail before any work.
 * Run with the heap the targets allow, e.g. {@code -Xmx2g}. The table is the steady state (each conversion's times are
 * of its second run, its peak heap of the first); the first conversion and validation in the JVM are printed apart.
 * "plugin own" is all time outside TensorFlow and TensorFlow Lite calls, file writes and GC included.
 */
public final class LargeModelBenchmark {
  private static final int SAMPLES = 32;

  private LargeModelBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("tflite-large-bench");
    System.out.printf(Locale.ROOT, "cores: %d, max heap: %d MiB%n", Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    if (List.of(args).contains("--over-2gb")) {
      overTheLimit(work);
      return;
    }
    long t = System.nanoTime();
    Path resnet = ResNetStyle.export(work.resolve("resnet50"), 224);
    System.out.printf(Locale.ROOT, "exported ResNet-50-size SavedModel (%d MiB) in %.1f s%n", size(resnet) >> 20, (System.nanoTime() - t) / 1e9);
    t = System.nanoTime();
    Path mobilenet = MobileNetStyle.export(work.resolve("mobilenetv2"), 224, 16, 1000);
    System.out.printf(Locale.ROOT, "exported MobileNetV2-size SavedModel (%d MiB) in %.1f s%n", size(mobilenet) >> 20, (System.nanoTime() - t) / 1e9);
    coldStart(resnet, work);
    for (Path model : List.of(resnet, mobilenet)) {
      System.out.println();
      System.out.println(model.getFileName() + ":");
      System.out.printf(Locale.ROOT, "%-14s %7s %8s %8s %8s %8s %7s %7s %8s %9s %10s %9s %10s %9s%n", "mode", "import", "prepare", "legalize", "passes",
          "quantize", "write", "total", "heap MiB", "size MiB", "validate32", "runtimes", "plugin own", "max abs");
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.INT8)) {
        Path out = work.resolve(model.getFileName() + "-" + mode.configName() + ".tflite");
        QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 8, 1, 0, 1));
        ConversionRequest conversion = ConversionRequest.of("m", model, mode, out).withQuantization(mode, options);
        // peak heap in a run of its own, after a full collection so that earlier garbage does not count; times in a
        // second run without one, as in a build (a forced collection shrinks the heap and skews what follows)
        System.gc();
        resetPeaks();
        new TfliteConverter().convert(conversion);
        long heap = peakHeap();
        long start = System.nanoTime();
        ConversionResult r = new TfliteConverter().convert(conversion);
        double total = (System.nanoTime() - start) / 1e9;
        Map<String, Long> s = r.stageMillis();
        long validateStart = System.nanoTime();
        ValidationRequest request = new ValidationRequest("m", model, "m", List.of("serve"), out, mode.configName(), SAMPLES, 1, 0, 1,
            new Tolerance(null, null, null, null));
        RuntimeTimer runtimeCalls = new RuntimeTimer();
        ValidationReport v = new ModelValidator(runtimeCalls).validate(request);
        double validate = (System.nanoTime() - validateStart) / 1e9;
        // conversion and validation each time their TensorFlow / TensorFlow Lite calls (loading, importing, running
        // sessions and interpreters, waiting for the oldest runtime); the rest is the plugin's own work
        double convertRuntime = s.get("tensorflow") / 1e3;
        double validateRuntime = runtimeCalls.nanos() / 1e9;
        double own = (total - convertRuntime) + Math.max(0, validate - validateRuntime);
        System.out.printf(Locale.ROOT, "%-14s %6.2fs %7.2fs %7.2fs %7.2fs %7.2fs %6.2fs %6.2fs %8d %9.1f %9.2fs %8.2fs %9.1f%% %9.3g%n",
            mode.configName(), s.get("import") / 1e3, s.get("prepare") / 1e3, s.get("legalize") / 1e3, s.get("passes") / 1e3,
            (s.get("quantize") - s.getOrDefault("calibrate", 0L)) / 1e3, (s.get("serialize") + s.get("write")) / 1e3, total, heap >> 20, r.sizeBytes() / 1048576.0,
            validate, convertRuntime + validateRuntime, 100 * own / (total + validate), v.worstMaxAbsError());
      }
    }
    System.out.println();
    System.out.println("runtimes: time inside TensorFlow and TensorFlow Lite calls (conversion: SavedModel loading, graph imports, session");
    System.out.println("runs incl. calibration; validation: opening and running the models, waiting for the oldest-runtime sample);");
    System.out.println("plugin own: the rest, as a share of convert + validate.");
    System.out.println("quantize excludes calibration (a TensorFlow run of the representative samples).");
  }

  /**
   * The first conversion in a fresh JVM, as in a {@code mvn package}: the runtimes load their native libraries and the
   * JVM loads and compiles the plugin's classes. Printed apart; the table below is measured after it.
   */
  private static void coldStart(Path model, Path work) {
    Path out = work.resolve("cold.tflite");
    long start = System.nanoTime();
    ConversionResult r = new TfliteConverter().convert(ConversionRequest.of("m", model, QuantizationMode.DYNAMIC_RANGE, out));
    double total = (System.nanoTime() - start) / 1e9;
    double tensorflow = r.stageMillis().get("tensorflow") / 1e3;
    RuntimeTimer runtimeCalls = new RuntimeTimer();
    long validateStart = System.nanoTime();
    new ModelValidator(runtimeCalls).validate(new ValidationRequest("m", model, "m", List.of("serve"), out, "dynamic-range", SAMPLES, 1, 0, 1,
        new Tolerance(null, null, null, null)));
    double validate = (System.nanoTime() - validateStart) / 1e9;
    System.out.printf(Locale.ROOT, "%ncold start (first conversion and validation in this JVM, %s dynamic-range): convert %.2f s (TensorFlow calls %.2f s,"
        + " own %.2f s), validate %.2f s (runtime calls %.2f s, own %.2f s); own time includes class loading and JIT%n", model.getFileName(), total,
        tensorflow, total - tensorflow, validate, runtimeCalls.nanos() / 1e9, validate - runtimeCalls.nanos() / 1e9);
  }

  /** A SavedModel with 2.4 GB of float weights: converting it in float must fail at once, before loading anything. */
  private static void overTheLimit(Path work) {
    long t = System.nanoTime();
    Path big = SavedModelExport.export(work.resolve("over-2gb"), 1, (tf, w) -> {
      List<SavedModelExport.Initializer> inits = new java.util.ArrayList<>();
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(1, 12_000)));
      Operand<TFloat32> y = x;
      for (int i = 0; i < 4; i++) {
        Ops scope = tf.withSubScope("dense" + i);
        var kernel = scope.withName("kernel").variable(Shape.of(12_000, 12_500 - 500 * (i % 2)), TFloat32.class);
        var value = scope.withName("kernel_value").placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(kernel.shape()));
        inits.add(new SavedModelExport.Initializer(scope.withName("assign").assign(kernel, value), value,
            TFloat32.tensorOf(kernel.shape())));
        y = scope.withName("MatMul").linalg.matMul(x, kernel);
      }
      return new SavedModelExport.Endpoints(Map.of("x", x), Map.of("y", y), inits);
    });
    System.out.printf(Locale.ROOT, "exported a SavedModel of %.2f GiB in %.1f s%n", size(big) / (double) (1L << 30), (System.nanoTime() - t) / 1e9);
    long start = System.nanoTime();
    try {
      new TfliteConverter().convert(ConversionRequest.of("over-2gb", big, QuantizationMode.NONE, work.resolve("over.tflite")));
      System.out.println("UNEXPECTED: converted");
    } catch (ConversionException e) {
      System.out.printf(Locale.ROOT, "failed after %.3f s, as it must: %s%n", (System.nanoTime() - start) / 1e9, e.getMessage());
    }
    System.out.println("partial output left: " + Files.exists(work.resolve("over.tflite")));
  }

  private static long size(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }
}
