package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras' implicit masks in real Keras 3.15 models (fixtures/generated/keras-recurrent/make_mask_fixtures.py): Masking
 * on float sequences and Embedding(mask_zero=True) into LSTM, GRU, Bidirectional GRU and SimpleRNN, and into
 * MultiHeadAttention then GlobalAveragePooling1D, on inputs with padded tails, padded middles and a row padded from
 * the start. The mask is computed from the data inside the model, so the converted file must skip exactly the steps
 * Keras skips: every output is held to Keras' own predict in TensorFlow Lite 2.18 and 2.6.2, and the embedding models
 * are validated in each mode against TensorFlow at batch 1 and 4 (random token ids hold 0 at random places).
 */
class KerasRealMaskTest {
  private static final String FOLDER = "generated/keras-recurrent/";

  @TempDir
  static Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"masking_lstm", "masking_gru_sequence", "embedding_lstm", "embedding_bigru", "embedding_simple_rnn_bidirectional_last",
      "embedding_attention_pool"})
  void matchesKerasOwnPredictions(String name) {
    Path tflite = dir.resolve(name + ".tflite");
    ConversionResult result = Tflite.convert(Tflite.fixture(FOLDER + name + ".keras"), QuantizationMode.NONE, tflite);
    NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(FOLDER + name + ".inputs.npy"));
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int i = 0; Files.exists(Tflite.fixture(FOLDER).resolve(name + ".keras_outputs." + i + ".npy")); i++) {
      expected.add(NpyReader.read(Tflite.fixture(FOLDER + name + ".keras_outputs." + i + ".npy")));
    }
    if (name.contains("lstm")) { // a masked LSTM cannot be the fused kernel (it runs every step): unrolled, and named so
      assertTrue(!result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_LSTM"), name + ": " + result.opCounts());
      assertTrue(result.unrolledLayers().stream().anyMatch(n -> n.contains("implicit mask")), name + ": " + result.unrolledLayers());
    }
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      assertEquals(expected.size(), runner.outputs().length, name + ": outputs");
      NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
      double worst = compare(name, "2.18", runner, inputs, expected, runner.outputs());
      double worst26 = compare(name, TfLite26Runner.VERSION, old, inputs, expected, runner.outputs());
      System.out.printf(Locale.ROOT, "keras mask %-40s %7d bytes  max abs vs Keras %.3g (TFLite 2.6.2: %.3g)  ops %s%n", name, result.sizeBytes(),
          worst, worst26, result.opCounts());
    }
  }

  /**
   * The same files with the mask arguments Keras 3 records taken out of the saved calls (what Keras 2 files and any
   * file without them look like): the converter then follows Keras' implicit masks through the graph itself, from
   * Masking and Embedding through Dropout to the recurrent layers, and must still match Keras' predict.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"masking_lstm", "embedding_lstm", "embedding_bigru", "embedding_simple_rnn_bidirectional_last"})
  void followsMasksTheFileDoesNotRecord(String name) throws java.io.IOException {
    Path stripped = dir.resolve(name + "-unrecorded.keras");
    int removed = withoutRecordedMasks(Tflite.fixture(FOLDER + name + ".keras"), stripped);
    assertTrue(removed > 0, name + ": the fixture records its masks");
    Path tflite = dir.resolve(name + "-unrecorded.tflite");
    Tflite.convert(stripped, QuantizationMode.NONE, tflite);
    NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(FOLDER + name + ".inputs.npy"));
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int i = 0; Files.exists(Tflite.fixture(FOLDER).resolve(name + ".keras_outputs." + i + ".npy")); i++) {
      expected.add(NpyReader.read(Tflite.fixture(FOLDER + name + ".keras_outputs." + i + ".npy")));
    }
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      NamedTensors inputs = new NamedTensors().put(runner.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
      double worst = compare(name, "2.18", runner, inputs, expected, runner.outputs());
      System.out.printf(Locale.ROOT, "keras mask (unrecorded, %d mask arguments removed) %-40s max abs vs Keras %.3g%n", removed, name, worst);
    }
  }

  /** Copies a .keras file with every call's {@code mask} keyword argument removed from config.json; returns how many. */
  private static int withoutRecordedMasks(Path from, Path to) throws java.io.IOException {
    var mapper = new com.fasterxml.jackson.databind.json.JsonMapper();
    int[] removed = {0};
    try (var in = new java.util.zip.ZipFile(from.toFile());
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
      for (var entry : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(entry).readAllBytes();
        if (entry.getName().equals("config.json")) {
          var config = mapper.readTree(bytes);
          removeMaskArguments(config, removed);
          bytes = mapper.writeValueAsBytes(config);
        }
        out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    return removed[0];
  }

  private static void removeMaskArguments(com.fasterxml.jackson.databind.JsonNode node, int[] removed) {
    if (node.isObject() && node.path("kwargs").isObject() && node.path("kwargs").has("mask")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("kwargs")).remove("mask");
      removed[0]++;
    }
    node.forEach(child -> removeMaskArguments(child, removed));
  }

  private static double compare(String name, String runtime, ModelRunner runner, NamedTensors inputs, List<NpyReader.NpyArray> expected,
      TfLiteRunner.Port[] ports) {
    NamedTensors actual = runner.run(inputs);
    double worst = 0;
    for (int o = 0; o < expected.size(); o++) {
      NpyReader.NpyArray want = expected.get(o);
      NamedTensors.FloatTensor got = actual.get(ports[o].name());
      assertArrayEquals(want.shape(), got.shape(), name + " output " + o + " shape in " + runtime);
      double max = 0;
      double scale = 1;
      for (int i = 0; i < want.values().length; i++) {
        max = Math.max(max, Math.abs(want.values()[i] - got.values()[i]));
        scale = Math.max(scale, Math.abs(want.values()[i]));
      }
      // float32 both sides and the mask is exact (a 0/1 choice per step), so only the order of summation differs
      // (Keras' products on oneDNN, TensorFlow Lite's kernels), over at most 7 steps of 8-wide products: 1e-5 of the
      // output's magnitude; a step skipped or kept wrongly moves the output by orders of magnitude more
      double tolerance = 1e-5 * scale;
      assertTrue(Double.isFinite(scale) && scale < 1e3, name + " output " + o + ": Keras' reference is not a usable one (max |ref| " + scale + ")");
      assertTrue(max <= tolerance, name + " output " + o + " in TensorFlow Lite " + runtime + ": max abs " + max + " vs Keras > " + tolerance);
      worst = Math.max(worst, max);
    }
    return worst;
  }

  static Stream<Arguments> modes() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : List.of("embedding_lstm", "embedding_bigru", "embedding_attention_pool")) {
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16, QuantizationMode.INT8)) {
        cases.add(Arguments.of(model, mode));
      }
    }
    return cases.stream();
  }

  /**
   * The embedding models in each mode, validated by the plugin's validator against TensorFlow running the lowered
   * graph, at batch 1 and 4, held to the mode's default tolerance; quantized modes are so judged against the float
   * model. Token ids are drawn from [0, 11], so about one step in twelve is masked, anywhere in the sequence.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("modes")
  void validatesInEachMode(String model, QuantizationMode mode) {
    Path keras = Tflite.fixture(FOLDER + model + ".keras");
    double min = 0;
    double max = 11; // the fixtures' vocabulary: 12 tokens, 0 the padding
    String name = model + "-" + mode.configName();
    Path tflite = dir.resolve(name + ".tflite");
    ConversionRequest request = ConversionRequest.of(name, keras, mode, tflite);
    if (mode == QuantizationMode.INT8) {
      request = request.withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max)));
    }
    Path work = dir.resolve("work");
    ConversionResult result = new dev.tflite.convert.TfliteConverter().convert(request, work);
    Tolerance tolerance = Tolerance.defaultFor(mode.configName());
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, keras, model + ".keras", List.of("serve"), tflite,
        mode.configName(), 16, 9, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null, List.of(1, 4)));
    System.out.printf(Locale.ROOT, "mask %-26s %-14s %8d bytes  worst max abs %.3g  %s  ops %s%n", model, mode.configName(), result.sizeBytes(),
        report.worstMaxAbsError(), report.passed() ? "pass" : "FAIL " + report.failingOutputs(), result.opCounts());
    assertTrue(report.passed(), name + ": drift beyond " + tolerance.summary() + " (worst max abs " + report.worstMaxAbsError() + ")");
  }
}
