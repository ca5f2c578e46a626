package dev.tflite.benchmarks;

import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.validation.report.ModelFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keras.applications backbone zoo (fixtures/generated/keras-applications): each transfer-learning model in every
 * mode, our file against the official converter's file of the same model: size, drift against TensorFlow running the
 * source (max abs, 16 seeded samples), our conversion time, and median invoke latency in TensorFlow Lite 2.18 and
 * 2.6.2 (interleaved runs, see {@link ParityBenchmark}). The official converter's own conversion time is in the
 * folder's {@code provenance.json} where the generating script recorded it. Latency is NaN where the official file does
 * not load in TensorFlow Lite 2.6.2 (TensorFlow 2.21's converter writes newer op versions).
 *
 * <p>Arguments: [iterations (default 30)]; fixtures from {@code -Dtflite.fixtures} (default {@code ../fixtures}).
 */
public final class KerasApplicationsBenchmark {
  private KerasApplicationsBenchmark() {}

  /** Backbone → the input range it expects (MobileNetV3 and EfficientNet rescale [0, 255] themselves). */
  static final Map<String, double[]> BACKBONES = new java.util.LinkedHashMap<>();

  static {
    BACKBONES.put("mobilenet_v2", new double[] {-1, 1});
    BACKBONES.put("mobilenet_v3_small", new double[] {0, 255});
    BACKBONES.put("efficientnet_b0", new double[] {0, 255});
    BACKBONES.put("resnet50", new double[] {-1, 1});
    BACKBONES.put("densenet121", new double[] {-1, 1});
    BACKBONES.put("xception", new double[] {-1, 1});
  }

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path folder = Path.of(System.getProperty("tflite.fixtures", "../fixtures")).resolve("generated/keras-applications");
    Path work = Files.createTempDirectory("tflite-keras-applications-bench");
    System.out.printf(Locale.ROOT, "cores: %d; drift: max abs vs TensorFlow running the source, 16 seeded samples; latency: median of %d interleaved"
        + " runs, batch 1, 1 thread in 2.6.2; ratios ours/official%n%n", Runtime.getRuntime().availableProcessors(), iterations);
    System.out.printf(Locale.ROOT, "%-20s %-13s %5s %5s %9s %9s %6s %9s %9s %8s %8s %8s%n", "model", "mode", "ops", "off.", "bytes", "bytes off.", "size",
        "drift", "drift off.", "convert", "2.18", "2.6.2");
    for (var backbone : BACKBONES.entrySet()) {
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16, QuantizationMode.INT8)) {
        Path official = folder.resolve("official_" + backbone.getKey() + "_transfer." + mode.configName() + ".tflite");
        if (!Files.exists(official)) {
          System.out.printf(Locale.ROOT, "%-20s %-13s no official file (see the folder's README row)%n", backbone.getKey(), mode.configName());
          continue;
        }
        ParityBenchmark.Pair pair = new ParityBenchmark.Pair(backbone.getKey() + "_transfer", folder.resolve(backbone.getKey() + "_transfer.keras"),
            official, mode, backbone.getValue()[0], backbone.getValue()[1]);
        Path ours = work.resolve(backbone.getKey() + "-" + mode.configName() + ".tflite");
        long start = System.nanoTime();
        new TfliteConverter().convert(ParityBenchmark.likeTheOfficialFile(pair, ours), work.resolve("work"));
        double seconds = (System.nanoTime() - start) / 1e9;
        int oursOps = ModelFacts.read(ours).ops().values().stream().mapToInt(Integer::intValue).sum();
        int officialOps = ModelFacts.read(official).ops().values().stream().mapToInt(Integer::intValue).sum();
        String oursDrift = ParityBenchmark.drift(pair, ours, work);
        String officialDrift = ParityBenchmark.drift(pair, official, work);
        ParityBenchmark.Timing t;
        try {
          t = ParityBenchmark.time(official, ours, pair, iterations);
        } catch (IllegalArgumentException e) { // TF 2.21's converter writes op versions TensorFlow Lite 2.6.2 does not have
          t = null;
        }
        long size = Files.size(ours);
        long officialSize = Files.size(official);
        System.out.printf(Locale.ROOT, "%-20s %-13s %5d %5d %9d %9d %5.2fx %9s %9s %7.2fs %7.2fx %7.2fx%n", backbone.getKey(), mode.configName(), oursOps,
            officialOps, size, officialSize, (double) size / officialSize, oursDrift, officialDrift, seconds,
            t == null ? Double.NaN : (double) t.ours218() / t.official218(), t == null ? Double.NaN : (double) t.ours262() / t.official262());
      }
    }
  }
}
