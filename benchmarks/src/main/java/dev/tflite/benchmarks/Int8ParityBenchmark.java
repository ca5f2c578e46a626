package dev.tflite.benchmarks;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.convert.target.TargetRuntime;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.testmodels.Keras2Zoo;
import dev.tflite.testmodels.KerasZoo;
import dev.tflite.testmodels.SignatureCopy;
import dev.tflite.validation.report.ModelFacts;
import dev.tflite.validation.run.InputGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Full-integer parity with the official converter: for each real-model fixture with an official float file, our int8
 * files (target 2.6: per-tensor Dense weights; target 2.18: per-channel) and the official int8 file where there is
 * one, each run in TensorFlow Lite 2.18 against the official float file on the same inputs drawn from the calibration
 * range (the float file matches its Keras model to 1e-9). Prints drift (max abs, RMSE, relative L2 error), top-1
 * agreement, the float compute ops left and the op census; then the same for the Keras zoo against our float file.
 *
 * <p>Arguments: [samples (default 64)].
 */
public final class Int8ParityBenchmark {
  private Int8ParityBenchmark() {}

  record Fixture(String name, Path source, Path officialFloat, Path officialInt8, double min, double max) {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    Path fixtures = Path.of(System.getProperty("tflite.fixtures", "../fixtures"));
    Path work = Files.createTempDirectory("tflite-int8-parity");
    List<Fixture> list = List.of(
        new Fixture("vww_96 (Keras 2 MobileNetV1-0.25, BN after biased convs)", fixtures.resolve("keras2-mobilenet-v1-bn/vww_96.h5"),
            fixtures.resolve("keras2-mobilenet-v1-bn/official_float32.tflite"), fixtures.resolve("keras2-mobilenet-v1-bn/official_int8.tflite"), 0, 1),
        new Fixture("keras3-cnn (Keras 3 CNN classifier)", fixtures.resolve("keras3-cnn/best_model.keras"),
            fixtures.resolve("keras3-cnn/official_float32.tflite"), fixtures.resolve("keras3-cnn/official_int8_broken.tflite"), 0.3, 0.5));
    System.out.printf(Locale.ROOT, "%d samples per model, uniform in the calibration range; calibration: 64 other samples of that range%n", samples);
    header();
    for (Fixture f : list) {
      System.out.println(f.name());
      Path fixtureWork = Files.createDirectories(work.resolve(f.name().replaceAll("\\W+", "_")));
      Path oursFloat = fixtureWork.resolve("float.tflite");
      new TfliteConverter().convert(ConversionRequest.of("m", f.source(), QuantizationMode.NONE, oursFloat));
      // older official files have no SignatureDef: a copy gets ours, matched by input and output position
      Path reference = SignatureCopy.runnable(f.officialFloat(), oursFloat, fixtureWork);
      for (String target : List.of("2.6", "2.18")) {
        Path ours = convert(f.name(), f.source(), work, target, f.min(), f.max());
        row("ours, target " + target, ours, reference, samples, f.min(), f.max());
      }
      if (Files.exists(f.officialInt8())) {
        row("official int8", SignatureCopy.runnable(f.officialInt8(), oursFloat, fixtureWork), reference, samples, f.min(), f.max());
      }
    }
    System.out.println();
    System.out.println("Keras zoo (reference: our float file, which matches TensorFlow to 1e-5)");
    header();
    for (KerasZoo.Entry e : KerasZoo.MODELS) {
      zooRow(e.name(), e.writer().apply(work.resolve(e.name() + ".keras")), work, samples, e.min(), e.max());
    }
    for (Keras2Zoo.Entry e : Keras2Zoo.MODELS) {
      zooRow(e.name(), e.writer().apply(work.resolve(e.name() + ".h5")), work, samples, e.min(), e.max());
    }
  }

  static void zooRow(String name, Path keras, Path work, int samples, double min, double max) throws Exception {
    Path reference = work.resolve(name + "-float.tflite");
    new TfliteConverter().convert(ConversionRequest.of(name, keras, QuantizationMode.NONE, reference));
    System.out.println(name);
    for (String target : List.of("2.6", "2.18")) {
      row("ours, target " + target, convert(name, keras, work, target, min, max), reference, samples, min, max);
    }
  }

  static Path convert(String name, Path source, Path work, String target, double min, double max) {
    Path out = work.resolve(name.replaceAll("\\W+", "_") + "-int8-" + target + ".tflite");
    QuantizationOptions options = new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(), false,
        new CalibrationSettings(null, 64, 99, min, max));
    ConversionResult r = new TfliteConverter().convert(ConversionRequest.of("m", source, QuantizationMode.INT8, out)
        .withQuantization(QuantizationMode.INT8, options).withTargetRuntime(TargetRuntime.parse(target)));
    if (!r.floatOps().isEmpty()) {
      System.out.println("    float ops kept: " + r.floatOps());
    }
    return out;
  }

  static void header() {
    System.out.printf(Locale.ROOT, "  %-22s %10s %10s %9s %7s %6s  %s%n", "file", "max abs", "rmse", "rel L2", "top-1", "float", "census");
  }

  static void row(String label, Path candidate, Path reference, int samples, double min, double max) throws Exception {
    double maxAbs = 0;
    double sumSq = 0;
    double refSq = 0;
    long count = 0;
    int agree = 0;
    try (TfLiteRunner ref = new TfLiteRunner(reference); TfLiteRunner cand = new TfLiteRunner(candidate)) {
      List<NamedTensors> inputs = InputGenerator.uniform(ref.inputs(), samples, 4242, min, max);
      for (NamedTensors in : inputs) {
        // official files and ours may name inputs differently: feed by position
        NamedTensors renamed = new NamedTensors();
        for (int i = 0; i < cand.inputs().length; i++) {
          renamed.put(cand.inputs()[i].name(), in.get(ref.inputs()[i].name()));
        }
        float[] a = ref.run(in).asMap().values().iterator().next().values();
        float[] b = cand.run(renamed).asMap().values().iterator().next().values();
        int argA = 0;
        int argB = 0;
        for (int i = 0; i < a.length; i++) {
          double d = Math.abs(a[i] - b[i]);
          maxAbs = Math.max(maxAbs, d);
          sumSq += d * d;
          refSq += (double) a[i] * a[i];
          argA = a[i] > a[argA] ? i : argA;
          argB = b[i] > b[argB] ? i : argB;
        }
        count += a.length;
        agree += argA == argB ? 1 : 0;
      }
    }
    ModelFacts facts = ModelFacts.read(candidate);
    List<String> census = new ArrayList<>();
    facts.ops().forEach((op, n) -> census.add(op + "=" + n));
    System.out.printf(Locale.ROOT, "  %-22s %10.4g %10.4g %9.4f %6.1f%% %6d  %s%n", label, maxAbs, Math.sqrt(sumSq / count), Math.sqrt(sumSq / refSq),
        100.0 * agree / samples, facts.floatOps().size(), String.join(" ", census));
  }
}
