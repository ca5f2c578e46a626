package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recurrent models written by real Keras 3.15 (fixtures/generated/keras-recurrent: script and provenance there), as
 * .keras and, where written, Keras 3's legacy .h5: converted without quantization, run in TensorFlow Lite 2.18 and
 * 2.6.2 on the saved inputs (batch 4), every output held to Keras' own predictions. This proves the unrolled lowering
 * computes what Keras' recurrent loop computes: gate order, GRU's two bias layouts, go_backwards' output order,
 * Bidirectional's merge modes and state order, and the cell weights' places in both file formats.
 */
class KerasRealRecurrentTest {
  private static final String FOLDER = "generated/keras-recurrent/";

  @TempDir
  Path dir;

  static Stream<String> fixtures() throws IOException {
    try (var files = Files.list(Tflite.fixture(FOLDER))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".keras") || f.endsWith(".h5"))
          .filter(f -> !f.contains("initial_state") && !f.startsWith("encoder_decoder"))
          .filter(f -> !f.startsWith("masking_") && !f.startsWith("embedding_")) /* KerasRealMaskTest's */
          .filter(f -> !f.startsWith("open_")) /* OpenSequenceLengthTest's */.sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void matchesKerasOwnPredictions(String file) throws IOException {
    String name = file.substring(0, file.lastIndexOf('.'));
    Path tflite = dir.resolve(file.replace('.', '-') + ".tflite");
    ConversionResult result = Tflite.convert(Tflite.fixture(FOLDER + file), QuantizationMode.NONE, tflite);
    NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(FOLDER + name + ".inputs.npy"));
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int i = 0; Files.exists(Tflite.fixture(FOLDER).resolve(name + ".keras_outputs." + i + ".npy")); i++) {
      expected.add(NpyReader.read(Tflite.fixture(FOLDER + name + ".keras_outputs." + i + ".npy")));
    }
    long steps = x.shape().length > 1 ? x.shape()[1] : 1;
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      assertEquals(expected.size(), runner.outputs().length, file + ": outputs");
      NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
      double worst = compare(file, "2.18", runner, inputs, expected, runner.outputs());
      double worst26;
      try (TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
        worst26 = compare(file, TfLite26Runner.VERSION, old, inputs, expected, runner.outputs());
      }
      System.out.printf(Locale.ROOT, "keras recurrent %-36s %7d bytes  max abs vs Keras %.3g (TFLite 2.6.2: %.3g)  ops %s%n", file,
          result.sizeBytes(), worst, worst26, result.opCounts());
    }
  }

  private static double compare(String file, String runtime, ModelRunner runner, NamedTensors inputs, List<NpyReader.NpyArray> expected,
      TfLiteRunner.Port[] ports) {
    NamedTensors actual = runner.run(inputs);
    double worst = 0;
    for (int o = 0; o < expected.size(); o++) {
      NpyReader.NpyArray want = expected.get(o);
      NamedTensors.FloatTensor got = actual.get(ports[o].name());
      assertArrayEquals(want.shape(), got.shape(), file + " output " + o + " shape in " + runtime);
      double max = 0;
      double scale = 1;
      for (int i = 0; i < want.values().length; i++) {
        max = Math.max(max, Math.abs(want.values()[i] - got.values()[i]));
        scale = Math.max(scale, Math.abs(want.values()[i]));
      }
      // float32 both sides; only the order of summation differs (Keras' fused products on oneDNN, TensorFlow Lite's
      // fully-connected kernels), and the gates' saturating activations do not amplify it: 1e-5 of the output's magnitude
      double tolerance = 1e-5 * scale;
      assertTrue(Double.isFinite(scale) && scale < 1e3, file + " output " + o + ": Keras' reference is not a usable one (max |ref| " + scale + ")");
      assertTrue(max <= tolerance, file + " output " + o + " in TensorFlow Lite " + runtime + ": max abs " + max + " vs Keras > " + tolerance);
      worst = Math.max(worst, max);
    }
    return worst;
  }

  /**
   * initial_state as a call argument (make_state_fixtures.py): the unrolled steps start from the given states, an
   * encoder's final states start a decoder; those layers stay unrolled (the fused kernels start from zeroed state) and
   * the result says so. Same tolerance and runtimes as above.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({"lstm_initial_state, x h c", "gru_initial_state, x h", "simple_rnn_initial_state, x h",
      "encoder_decoder, source target"})
  void startsFromTheGivenInitialState(String name, String inputNames) {
    Path tflite = dir.resolve(name + ".tflite");
    ConversionResult result = Tflite.convert(Tflite.fixture(FOLDER + name + ".keras"), QuantizationMode.NONE, tflite);
    assertTrue(result.unrolledLayers().stream().anyMatch(n -> n.contains("initial_state")), result.unrolledLayers().toString());
    List<NpyReader.NpyArray> expected = List.of(NpyReader.read(Tflite.fixture(FOLDER + name + ".keras_outputs.0.npy")));
    NamedTensors inputs = new NamedTensors();
    String[] names = inputNames.split(" ");
    for (int i = 0; i < names.length; i++) {
      NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(FOLDER + name + ".inputs." + i + ".npy"));
      inputs.put(names[i], new NamedTensors.FloatTensor(x.shape(), x.values()));
    }
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      double worst = compare(name, "2.18", runner, inputs, expected, runner.outputs());
      double worst26 = compare(name, TfLite26Runner.VERSION, old, inputs, expected, runner.outputs());
      System.out.printf(Locale.ROOT, "keras initial_state %-28s %7d bytes  max abs vs Keras %.3g (TFLite 2.6.2: %.3g)  ops %s  unrolled %s%n", name,
          result.sizeBytes(), worst, worst26, result.opCounts(), result.unrolledLayers());
    }
  }

  /** A recurrent layer the converter cannot unroll: the error names the layer and says what to change. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
      "stateful, stateful=True keeps the state between predict calls",
      "bidirectional_of_dense, Bidirectional of LSTM, GRU and SimpleRNN is supported"})
  void refusesWhatCannotBeUnrolledWithAdvice(String kind, String advice) {
    Path file = dir.resolve(kind + ".keras");
    var k = new dev.tflite.testmodels.KerasFileBuilder(kind, 5);
    String x = kind.equals("mask_zero") ? k.input("x", "int32", 7) : k.input("x", 7, 3);
    if (kind.equals("mask_zero")) {
      x = k.layer("Embedding", "tokens", dev.tflite.testmodels.KerasFileBuilder.config().put("input_dim", 20).put("output_dim", 3)
          .put("mask_zero", true), new long[] {7, 3}, List.of(new long[] {20, 3}), x);
    } else if (kind.equals("masking")) {
      x = k.layer("Masking", "padding", dev.tflite.testmodels.KerasFileBuilder.config().put("mask_value", 0.0), new long[] {7, 3}, List.of(), x);
    }
    var config = dev.tflite.testmodels.KerasFileBuilder.config().put("units", 4).put("stateful", kind.equals("stateful"));
    String layer = kind.equals("bidirectional_of_dense")
        ? k.layer("Bidirectional", "both_ways", bidirectionalOfDense(), new long[] {8}, List.of(), x)
        : k.layer("LSTM", "memory", config, new long[] {4}, List.of(new long[] {3, 16}, new long[] {4, 16}, new long[] {16}), x);
    k.write(file, layer);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.tflite.convert.ConversionException.class,
        () -> Tflite.convert(file, QuantizationMode.NONE, dir.resolve(kind + ".tflite")));
    String name = switch (kind) {
      case "bidirectional_of_dense" -> "both_ways";
      case "masking" -> "padding";
      default -> "memory";
    };
    assertTrue((e.getMessage().contains("layer '" + name + "'") || e.getMessage().contains("Masking (" + name + ")"))
        && e.getMessage().contains(advice), e.getMessage());
    assertTrue(!Files.exists(dir.resolve(kind + ".tflite")), "no file is written for a model that cannot be converted");
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode bidirectionalOfDense() {
    var inner = dev.tflite.testmodels.KerasFileBuilder.config().put("class_name", "Dense");
    inner.set("config", dev.tflite.testmodels.KerasFileBuilder.config().put("name", "forward_dense").put("units", 4));
    var config = dev.tflite.testmodels.KerasFileBuilder.config().put("merge_mode", "concat");
    config.set("layer", inner);
    return config;
  }

  /** Same model, same bytes: the unrolled steps and the shared constants come out in one order every time. */
  @org.junit.jupiter.api.Test
  void conversionIsByteIdentical() throws IOException {
    Path source = Tflite.fixture(FOLDER + "bigru_text_classifier.keras");
    Tflite.convert(source, QuantizationMode.INT8, dir.resolve("a.tflite"));
    Tflite.convert(source, QuantizationMode.INT8, dir.resolve("b.tflite"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("a.tflite")), Files.readAllBytes(dir.resolve("b.tflite")));
  }
}
