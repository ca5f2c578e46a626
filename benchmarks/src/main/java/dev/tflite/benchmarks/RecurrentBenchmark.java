package dev.tflite.benchmarks;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recurrent layers written by real Keras 3.15 (fixtures/generated/keras-recurrent), in every mode, fused
 * (UNIDIRECTIONAL_SEQUENCE_LSTM / _RNN, the default in none and dynamic-range, and the LSTM's in int8) and unrolled ({@link TfliteConverter#UNROLL_PROPERTY}) side by side:
 * file size, op count, max abs error against Keras' own predict outputs (batch 4) and median single-thread latency
 * of one batch-4 run in TensorFlow Lite 2.18. GRU has one form (unrolled). The official converter
 * writes a Flex WHILE loop for Keras 3 recurrent layers, which these runtimes cannot load.
 *
 * <p>Arguments: [latency iterations (default 200)].
 */
public final class RecurrentBenchmark {
  private RecurrentBenchmark() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path folder = Path.of(System.getProperty("tflite.fixtures", "../fixtures")).resolve("generated/keras-recurrent");
    Path work = Files.createTempDirectory("tflite-recurrent-bench");
    System.out.printf(Locale.ROOT, "cores: %d; latency: median of %d batch-4 runs, 1 thread, TensorFlow Lite 2.18%n",
        Runtime.getRuntime().availableProcessors(), iterations);
    System.out.printf(Locale.ROOT, "%-24s %-17s %-8s %9s %5s %11s %10s%n", "model", "mode", "form", "bytes", "ops", "max abs", "latency");
    for (String model : List.of("lstm_seq1", "lstm_seq7", "lstm_seq50", "bidirectional_lstm_concat", "stacked_lstm_activity", "gru_seq50",
        "simple_rnn_seq50")) {
      boolean fusable = !model.startsWith("gru");
      for (QuantizationMode mode : QuantizationMode.values()) {
        // fused in none and dynamic-range, an LSTM in int8 too (the other modes unroll: TfliteConverter#unfusedReason)
        boolean fusing = mode == QuantizationMode.NONE || mode == QuantizationMode.DYNAMIC_RANGE
            || mode == QuantizationMode.INT8 && !model.startsWith("simple_rnn");
        for (boolean unroll : fusable && fusing ? List.of(false, true) : List.of(true)) {
          System.setProperty(TfliteConverter.UNROLL_PROPERTY, Boolean.toString(unroll));
          Path tflite = work.resolve(model + "-" + mode.configName() + (unroll ? "-unrolled" : "-fused") + ".tflite");
          ConversionRequest request = ConversionRequest.of(model, folder.resolve(model + ".keras"), mode, tflite)
              .withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, -2, 2)));
          ConversionResult result = new TfliteConverter().convert(request);
          int ops = result.opCounts().values().stream().mapToInt(Integer::intValue).sum();
          NpyReader.NpyArray x = NpyReader.read(folder.resolve(model + ".inputs.npy"));
          float[] expected = NpyReader.read(folder.resolve(model + ".keras_outputs.0.npy")).values();
          try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
            NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
            float[] actual = runner.run(inputs).get(runner.outputs()[0].name()).values();
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
              max = Math.max(max, Math.abs(expected[i] - actual[i]));
            }
            long nanos = runner.medianInferenceNanos(inputs, iterations);
            System.out.printf(Locale.ROOT, "%-24s %-17s %-8s %9d %5d %11.3g %8.3fms%n", model, mode.configName(), unroll ? "unrolled" : "fused",
                result.sizeBytes(), ops, max, nanos / 1e6);
          }
        }
      }
    }
    System.clearProperty(TfliteConverter.UNROLL_PROPERTY);
    openLengths(folder, work, iterations);
    unrolledSources(folder.getParent(), work, iterations);
  }

  /**
   * LSTMs and simple RNNs that reach the converter unrolled (a Keras 3 SavedModel's While loop, TF1 static_rnn /
   * dynamic_rnn over BasicLSTMCell, the raw LSTMBlockCell op, a TF1 while_loop recurrence), re-rolled into
   * UNIDIRECTIONAL_SEQUENCE_LSTM / _RNN and left unrolled side by side: bytes, ops, worst max abs error against TensorFlow running the original (the plugin's validator, 8 samples
   * in [-2, 2], batch 1) and median latency at batch 1. The official converter writes a Flex WHILE over TensorList /
   * TensorArray ops for the SavedModels and dynamic_rnn, and keeps static_rnn's 103 unrolled ops.
   */
  private static void unrolledSources(Path generated, Path work, int iterations) throws Exception {
    System.out.printf(Locale.ROOT, "%nLSTMs and SimpleRNNs from SavedModels and TF1 graphs (they arrive unrolled), batch 1%n");
    System.out.printf(Locale.ROOT, "%-24s %-17s %-8s %9s %5s %11s %10s%n", "model", "mode", "form", "bytes", "ops", "max abs", "latency");
    List<Path> sources = List.of(generated.resolve("recurrent-savedmodels/lstm_wide"), generated.resolve("recurrent-savedmodels/stacked_lstm_activity"),
        generated.resolve("recurrent-savedmodels/bidirectional_lstm"), generated.resolve("tf1-recurrent/static_basic_lstm.pb"),
        generated.resolve("tf1-recurrent/dynamic_basic_lstm.pb"), generated.resolve("tf1-recurrent/lstm_block_cell.pb"),
        generated.resolve("recurrent-savedmodels/simple_rnn_last"), generated.resolve("tf1-recurrent/while_loop_tensor_array.pb"));
    for (Path source : sources) {
      String model = source.getFileName().toString().replace(".pb", "");
      boolean rnn = model.contains("rnn") || model.contains("while");
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.INT8)) {
        for (boolean unroll : mode == QuantizationMode.INT8 && rnn ? List.of(true) : List.of(false, true)) { // no integer RNN kernel
          System.setProperty(TfliteConverter.UNROLL_PROPERTY, Boolean.toString(unroll));
          String name = model + "-" + mode.configName() + (unroll ? "-unrolled" : "-fused");
          Path tflite = work.resolve(name + ".tflite");
          ConversionRequest request = ConversionRequest.of(name, source, mode, tflite)
              .withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, -2, 2)));
          ConversionResult result = new TfliteConverter().convert(request, work.resolve("work-" + name));
          int ops = result.opCounts().values().stream().mapToInt(Integer::intValue).sum();
          ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, source, model, List.of("serve"), tflite,
              mode.configName(), 8, 9, -2, 2, Tolerance.defaultFor(mode.configName())),
              new ValidationOptions(work.resolve("work-" + name), Map.of(), null, null, List.of(1), 8));
          try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
            int[] shape = runner.inputs()[0].shape();
            float[] x = new float[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
            java.util.SplittableRandom random = new java.util.SplittableRandom(5);
            for (int i = 0; i < x.length; i++) {
              x[i] = (float) (random.nextDouble() * 4 - 2);
            }
            NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(java.util.Arrays.stream(shape).asLongStream().toArray(), x));
            long nanos = runner.medianInferenceNanos(inputs, iterations);
            System.out.printf(Locale.ROOT, "%-24s %-17s %-8s %9d %5d %11.3g %8.3fms%n", model, mode.configName(), unroll ? "unrolled" : "fused",
                result.sizeBytes(), ops, report.worstMaxAbsError(), nanos / 1e6);
          }
        }
      }
    }
    System.clearProperty(TfliteConverter.UNROLL_PROPERTY);
  }

  /**
   * The open-length tagger (keras.Input((None, 6))): one file per mode, converted without a length, run resized to
   * 1, 7 and 50 steps: max abs error against Keras at each length and the latency at 50 steps (batch 2).
   */
  private static void openLengths(Path folder, Path work, int iterations) throws Exception {
    String model = "open_lstm_tagger";
    System.out.printf(Locale.ROOT, "%nopen sequence length: %s, one file per mode, resized per run%n", model);
    System.out.printf(Locale.ROOT, "%-17s %9s %5s %11s %11s %11s %12s%n", "mode", "bytes", "ops", "abs L=1", "abs L=7", "abs L=50", "latency L=50");
    for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.INT8)) {
      Path tflite = work.resolve(model + "-" + mode.configName() + ".tflite");
      ConversionResult result = new TfliteConverter().convert(ConversionRequest.of(model, folder.resolve(model + ".keras"), mode, tflite)
          .withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, -2, 2))));
      int ops = result.opCounts().values().stream().mapToInt(Integer::intValue).sum();
      StringBuilder errors = new StringBuilder();
      long nanos = 0;
      try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
        for (int length : new int[] {1, 7, 50}) {
          NpyReader.NpyArray x = NpyReader.read(folder.resolve(model + ".inputs.L" + length + ".npy"));
          float[] expected = NpyReader.read(folder.resolve(model + ".keras_outputs.L" + length + ".npy")).values();
          NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
          float[] actual = runner.run(inputs).get(runner.outputs()[0].name()).values();
          double max = 0;
          for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
          }
          errors.append(String.format(Locale.ROOT, " %11.3g", max));
          if (length == 50) {
            nanos = runner.medianInferenceNanos(inputs, iterations);
          }
        }
      }
      System.out.printf(Locale.ROOT, "%-17s %9d %5d%s %10.3fms%n", mode.configName(), result.sizeBytes(), ops, errors, nanos / 1e6);
    }
  }
}
