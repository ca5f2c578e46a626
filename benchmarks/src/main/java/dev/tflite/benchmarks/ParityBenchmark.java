package dev.tflite.benchmarks;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ModelFacts;
import dev.tflite.validation.run.InputGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Our file against the official converter's file of the same model in the same mode, side by side in one run: op
 * census (and where they differ), op count, file size, drift of each against TensorFlow running the source model, and
 * median invoke latency in TensorFlow Lite 2.18 and 2.6.2 (each runtime's own measure, so copying inputs by signature or
 * by tensor index does not count) with the two files' runs interleaved (so machine load hits both alike), as
 * ours/official ratios.
 *
 * <p>Arguments: [iterations (default 50)] then any number of extra pairs {@code source=official.tflite=mode[=min,max]}.
 * Every fixture folder with an official file is measured too (fixtures from {@code -Dtflite.fixtures}, default
 * {@code ../fixtures}; {@code -Dparity.fixtures=false} measures the command-line pairs only).
 */
public final class ParityBenchmark {
  private ParityBenchmark() {}

  record Pair(String name, Path source, Path official, QuantizationMode mode, double min, double max) {}

  record Timing(long ours218, long official218, long ours262, long official262) {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path fixtures = Path.of(System.getProperty("tflite.fixtures", "../fixtures"));
    List<Pair> pairs = new ArrayList<>(Boolean.parseBoolean(System.getProperty("parity.fixtures", "true")) ? fixturePairs(fixtures) : List.of());
    for (int i = 1; i < args.length; i++) {
      pairs.add(parse(args[i]));
    }
    Path work = Files.createTempDirectory("tflite-parity-bench");
    System.out.printf(Locale.ROOT, "cores: %d; latency: median of %d interleaved runs per file, 1 thread in 2.6.2; drift: max abs vs TensorFlow"
        + " running the source, 16 seeded samples%n%n", Runtime.getRuntime().availableProcessors(), iterations);
    System.out.printf(Locale.ROOT, "%-34s %-13s %9s %9s %6s %9s %9s %10s %10s %8s %8s%n", "model", "mode", "ops", "ops off.", "size", "bytes",
        "bytes off.", "drift", "drift off.", "2.18", "2.6.2");
    List<String> differences = new ArrayList<>();
    for (Pair pair : pairs) {
      Path ours = work.resolve(pair.name().replaceAll("\\W", "_") + "-" + pair.mode().configName() + ".tflite");
      new TfliteConverter().convert(likeTheOfficialFile(pair, ours), work.resolve("work"));
      Map<String, Integer> oursOps = ModelFacts.read(ours).ops();
      Map<String, Integer> officialOps = ModelFacts.read(pair.official()).ops();
      Path runnable = pair.official(); // files without SignatureDef run with ports paired by position
      String oursDrift = drift(pair, ours, work);
      String officialDrift = drift(pair, runnable, work);
      Timing t = time(runnable, ours, pair, iterations);
      long oursSize = Files.size(ours);
      long officialSize = Files.size(pair.official());
      System.out.printf(Locale.ROOT, "%-34s %-13s %9d %9d %5.3fx %9d %9d %10s %10s %7.2fx %7.2fx%n", pair.name(), pair.mode().configName(), total(oursOps),
          total(officialOps), (double) oursSize / officialSize, oursSize, officialSize, oursDrift, officialDrift,
          (double) t.ours218() / t.official218(), (double) t.ours262() / t.official262());
      System.out.printf(Locale.ROOT, "%-34s %-13s latency 2.18 %.3f / %.3f ms, 2.6.2 %.3f / %.3f ms (ours / official)%n", "", "", t.ours218() / 1e6,
          t.official218() / 1e6, t.ours262() / 1e6, t.official262() / 1e6);
      String diff = censusDifference(oursOps, officialOps);
      differences.add(String.format(Locale.ROOT, "%s (%s): %s", pair.name(), pair.mode().configName(),
          diff.isEmpty() ? "same census " + oursOps : diff + "; ours " + oursOps));
    }
    System.out.println();
    System.out.println("op census, ours vs official:");
    differences.forEach(d -> System.out.println("  " + d));
  }

  /** The fixture pairs: each source beside the official converter's file of it, with the inputs the fixture README names. */
  static List<Pair> fixturePairs(Path fixtures) {
    List<Pair> all = List.of(
        new Pair("keras2-mobilenet-v1-bn vww_96.h5", fixtures.resolve("keras2-mobilenet-v1-bn/vww_96.h5"),
            fixtures.resolve("keras2-mobilenet-v1-bn/official_float32.tflite"), QuantizationMode.NONE, 0, 1),
        new Pair("keras2-mobilenet-v1-bn vww_96.h5", fixtures.resolve("keras2-mobilenet-v1-bn/vww_96.h5"),
            fixtures.resolve("keras2-mobilenet-v1-bn/official_int8.tflite"), QuantizationMode.INT8, 0, 1),
        new Pair("keras-h5-cnn digit_classifier.h5", fixtures.resolve("keras-h5-cnn/digit_classifier.h5"),
            fixtures.resolve("keras-h5-cnn/official_float32.tflite"), QuantizationMode.NONE, 0, 1),
        new Pair("keras3-cnn best_model.keras", fixtures.resolve("keras3-cnn/best_model.keras"),
            fixtures.resolve("keras3-cnn/official_float32.tflite"), QuantizationMode.NONE, 0.3, 0.5),
        new Pair("keras3-cnn best_model.keras", fixtures.resolve("keras3-cnn/best_model.keras"),
            fixtures.resolve("keras3-cnn/official_float16.tflite"), QuantizationMode.FLOAT16, 0.3, 0.5),
        new Pair("keras-savedmodel-mlp saved_model", fixtures.resolve("keras-savedmodel-mlp/saved_model"),
            fixtures.resolve("keras-savedmodel-mlp/official_float32.tflite"), QuantizationMode.NONE, 0, 1),
        new Pair("keras-savedmodel-mlp saved_model", fixtures.resolve("keras-savedmodel-mlp/saved_model"),
            fixtures.resolve("keras-savedmodel-mlp/official_dynamic_range.tflite"), QuantizationMode.DYNAMIC_RANGE, 0, 1));
    // Not measured: keras3-cnn/official_int8_broken.tflite (a broken conversion kept as a negative control) and
    // tf1-frozen-qat/official_toco_uint8.tflite (the old TOCO converter's uint8 mode, which this converter does not write).
    return all.stream().filter(p -> Files.exists(p.source()) && Files.exists(p.official())).toList();
  }

  /**
   * Our conversion in the official file's own terms: the same mode, calibrated on the pair's input range, and for a
   * full-integer official file the same input and output types (an int8-I/O file has no QUANTIZE/DEQUANTIZE to compare).
   */
  static ConversionRequest likeTheOfficialFile(Pair pair, Path ours) {
    ConversionRequest request = ConversionRequest.of(pair.name(), pair.source(), pair.mode(), ours);
    if (!pair.mode().needsCalibration()) {
      return request;
    }
    IoType in;
    IoType out;
    try (TfLiteRunner official = new TfLiteRunner(pair.official())) {
      in = ioType(official.inputs()[0].type());
      out = ioType(official.outputs()[0].type());
    }
    QuantizationOptions d = QuantizationOptions.defaults();
    return request.withQuantization(pair.mode(), new QuantizationOptions(d.perChannel(), in, out, d.keepFloatOpTypes(), d.keepFloatNodes(),
        d.integerOnly(), new CalibrationSettings(null, 32, 1234, pair.min(), pair.max())));
  }

  private static IoType ioType(dev.tflite.runtime.TensorType type) {
    return switch (type) {
      case INT8 -> IoType.INT8;
      case UINT8 -> IoType.UINT8;
      default -> IoType.FLOAT32;
    };
  }

  /** {@code source=official.tflite=mode[=min,max]}. */
  static Pair parse(String arg) {
    String[] parts = arg.split("=");
    if (parts.length < 3) {
      throw new IllegalArgumentException("expected source=official.tflite=mode[=min,max], got " + arg);
    }
    double min = 0;
    double max = 1;
    if (parts.length > 3) {
      String[] range = parts[3].split(",");
      min = Double.parseDouble(range[0]);
      max = Double.parseDouble(range[1]);
    }
    Path source = Path.of(parts[0]);
    return new Pair(source.getFileName().toString(), source, Path.of(parts[1]), QuantizationMode.fromConfig(parts[2]), min, max);
  }

  /** Max abs drift of {@code tflite} against TensorFlow running the source (with a 1e9 tolerance: measured, not judged). */
  static String drift(Pair pair, Path tflite, Path work) {
    try {
      var report = new ModelValidator().validate(new ValidationRequest(pair.name(), pair.source(), pair.source().getFileName().toString(),
          List.of("serve"), tflite, pair.mode().configName(), 16, 11, pair.min(), pair.max(), new Tolerance(1e9, null, null, null)),
          new ValidationOptions(work.resolve("work"), Map.of(), null, null)); // the graph the conversion of the same name built
      return String.format(Locale.ROOT, "%.2e", report.worstMaxAbsError());
    } catch (RuntimeException e) {
      System.err.println("drift of " + tflite.getFileName() + " not measured: " + e.getMessage());
      return "n/a";
    }
  }

  /** Median latencies, ours and official alternating run by run (the first of each pair swapping every run). */
  static Timing time(Path officialFile, Path ours, Pair pair, int iterations) {
    long[] t218;
    try (TfLiteRunner a = new TfLiteRunner(ours); TfLiteRunner b = new TfLiteRunner(officialFile)) {
      t218 = interleaved(new Timed(a, a::lastInvokeNanos, sample(a, pair)), new Timed(b, b::lastInvokeNanos, sample(b, pair)), iterations);
    }
    long[] t262;
    try (TfLiteRunner portsA = new TfLiteRunner(ours); TfLiteRunner portsB = new TfLiteRunner(officialFile);
        TfLite26Runner a = new TfLite26Runner(ours, 1); TfLite26Runner b = new TfLite26Runner(officialFile, 1)) {
      t262 = interleaved(new Timed(a, a::lastInvokeNanos, sample(portsA, pair)), new Timed(b, b::lastInvokeNanos, sample(portsB, pair)), iterations);
    }
    return new Timing(t218[0], t218[1], t262[0], t262[1]);
  }

  /** One seeded sample named as this file names its inputs (an official file without SignatureDef: by tensor name). */
  private static NamedTensors sample(TfLiteRunner ports, Pair pair) {
    return InputGenerator.uniform(ports.inputs(), 1, 5, pair.min(), pair.max()).get(0);
  }

  /** A runner and its own measure of the last run's invoke (files with and without SignatureDef copy tensors differently). */
  record Timed(ModelRunner runner, LongSupplier lastInvokeNanos, NamedTensors inputs) {}

  private static long[] interleaved(Timed ours, Timed official, int iterations) {
    Timed[] runners = {ours, official};
    long[][] times = new long[2][iterations];
    for (Timed r : runners) {
      r.runner().run(r.inputs()); // warm-up: first-run allocation and XNNPACK packing stay out of the figures
    }
    for (int i = 0; i < iterations; i++) {
      for (int k = 0; k < 2; k++) {
        int which = (i + k) % 2;
        runners[which].runner().run(runners[which].inputs());
        times[which][i] = runners[which].lastInvokeNanos().getAsLong();
      }
    }
    return new long[] {median(times[0]), median(times[1])};
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static int total(Map<String, Integer> ops) {
    return ops.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** "MUL +27, ADD +27" style: op types whose counts differ, ours minus official. */
  static String censusDifference(Map<String, Integer> ours, Map<String, Integer> official) {
    TreeSet<String> types = new TreeSet<>(ours.keySet());
    types.addAll(official.keySet());
    Map<String, Integer> diff = new TreeMap<>();
    for (String type : types) {
      int d = ours.getOrDefault(type, 0) - official.getOrDefault(type, 0);
      if (d != 0) {
        diff.put(type, d);
      }
    }
    return diff.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 0 ? " +" : " ") + e.getValue()).reduce((x, y) -> x + ", " + y).orElse("");
  }
}
