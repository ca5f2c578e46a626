package dev.tflite.benchmarks;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.testmodels.MobileNetStyle;
import dev.tflite.testmodels.RNet;
import dev.tflite.validation.compare.DriftAccumulator;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.run.InputGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Every quantization mode on the seed RNet and a MobileNetV2-style model, measured side by side in one run: file size
 * against float32, drift against TensorFlow (max abs, RMSE over all outputs), top-1 agreement of the classifier
 * output with TensorFlow, and median single-thread latency in the TensorFlow Lite 2.6 interpreter against float32.
 *
 * <p>Arguments: [samples (default 200)] [latency iterations (default 50)].
 */
public final class QuantizationBenchmark {
  private QuantizationBenchmark() {}

  record Model(String name, Path savedModel, String classifierOutput, double min, double max) {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path work = Files.createTempDirectory("tflite-quant-bench");
    List<Model> models = List.of(
        new Model("RNet 24x24", RNet.export(work.resolve("rnet")), "score", -1, 1),
        new Model("MobileNetV2-style 160x160 w8", MobileNetStyle.export(work.resolve("mobilenet"), 160, 8, 100), "predictions", 0, 1));
    System.out.printf(Locale.ROOT, "cores: %d; samples: %d; latency: median of %d runs, 1 thread%n", Runtime.getRuntime().availableProcessors(),
        samples, iterations);
    for (Model model : models) {
      System.out.println();
      System.out.println(model.name() + " (inputs uniform in [" + model.min() + ", " + model.max() + "], calibration on 64 other samples)");
      System.out.printf(Locale.ROOT, "%-17s %10s %7s %11s %11s %8s %11s %8s%n", "mode", "bytes", "size", "max abs", "rmse", "top-1", "latency", "speed");
      long floatSize = 0;
      long floatLatency = 0;
      for (QuantizationMode mode : QuantizationMode.values()) {
        Path tflite = work.resolve(model.name().replaceAll("\\W", "_") + "-" + mode.configName() + ".tflite");
        QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 64, 99, model.min(), model.max()));
        new TfliteConverter().convert(ConversionRequest.of(model.name(), model.savedModel(), mode, tflite).withQuantization(mode, options));
        Result r = measure(model, tflite, samples, iterations);
        long size = Files.size(tflite);
        if (mode == QuantizationMode.NONE) {
          floatSize = size;
          floatLatency = r.latencyNanos();
        }
        System.out.printf(Locale.ROOT, "%-17s %10d %6.2fx %11.3g %11.3g %7.1f%% %9.3fms %7.2fx%n", mode.configName(), size, (double) size / floatSize,
            r.metrics().maxAbsError(), r.metrics().rmse(), 100.0 * r.top1Agreement(), r.latencyNanos() / 1e6, (double) floatLatency / r.latencyNanos());
      }
    }
    officialReference(Path.of(System.getProperty("tflite.fixtures", "../fixtures")), iterations);
  }

  /**
   * The official converter's own float32 and int8 files of the same Keras model, timed the same way: shows what the
   * 2.6 runtime's x86 kernels do with integer models independently of this converter.
   */
  static void officialReference(Path fixtures, int iterations) {
    Path float32 = fixtures.resolve("keras3-cnn/official_float32.tflite");
    Path int8 = fixtures.resolve("keras3-cnn/official_int8_broken.tflite");
    if (!Files.exists(float32) || !Files.exists(int8)) {
      return;
    }
    long[] nanos = new long[2];
    Path[] files = {float32, int8};
    for (int i = 0; i < 2; i++) {
      try (TfLiteRunner runner = new TfLiteRunner(files[i])) {
        nanos[i] = runner.medianInferenceNanos(InputGenerator.uniform(runner.inputs(), 1, 1, 0.3, 0.5).get(0), iterations);
      }
    }
    System.out.printf(Locale.ROOT, "%nofficial converter, keras3-cnn: float32 %.3fms, int8 %.3fms (%.2fx) in the same runtime%n", nanos[0] / 1e6,
        nanos[1] / 1e6, (double) nanos[0] / nanos[1]);
  }

  record Result(Metrics metrics, double top1Agreement, long latencyNanos) {}

  private static Result measure(Model model, Path tflite, int samples, int iterations) {
    try (TfLiteRunner candidate = new TfLiteRunner(tflite);
        TensorFlowRunner reference = TensorFlowRunner.open(model.savedModel(), candidate.signatureKey(), List.of("serve"))) {
      List<NamedTensors> inputs = InputGenerator.uniform(candidate.inputs(), samples, 5, model.min(), model.max());
      DriftAccumulator drift = new DriftAccumulator();
      int agree = 0;
      for (NamedTensors sample : inputs) {
        NamedTensors expected = reference.run(sample);
        NamedTensors actual = candidate.run(sample);
        for (String name : expected.asMap().keySet()) {
          drift.add(expected.get(name).values(), actual.get(name).values());
        }
        if (argmax(expected.get(model.classifierOutput()).values()) == argmax(actual.get(model.classifierOutput()).values())) {
          agree++;
        }
      }
      long latency = candidate.medianInferenceNanos(inputs.get(0), iterations);
      return new Result(drift.metrics(), (double) agree / samples, latency);
    }
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

}
