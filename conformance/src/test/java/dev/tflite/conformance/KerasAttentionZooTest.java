package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
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

/**
 * The transformer zoo written by real Keras 3.15 (fixtures/generated/keras-attention): a ViT with a Conv2D patch
 * embedding, a ViT with a Dense patch embedding and a class token, a BERT-style encoder with a padding mask from its
 * token ids, and each inside a Sequential transfer-learning model. Every one converted in {@code none},
 * {@code dynamic-range}, {@code float16} and {@code int8} and validated by the plugin's validator against TensorFlow
 * running the lowered graph at batch 1 and 4 (TensorFlow Lite 2.18, the first sample in 2.6.2), held to its mode's
 * default tolerance ({@link Tolerance#defaultFor}); quantized modes are so judged against the float model. The line
 * printed compares size and op census with the official converter's file for the same model and mode.
 */
class KerasAttentionZooTest {
  private static final String FOLDER = KerasRealAttentionTest.FOLDER;

  @TempDir
  static Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : List.of("vit", "vit_transfer", "vit_patches", "vit_patches_transfer", "bert", "bert_transfer")) {
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16, QuantizationMode.INT8)) {
        cases.add(Arguments.of(model, mode));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void validatesAgainstTensorFlow(String model, QuantizationMode mode) {
    Path keras = Tflite.fixture(FOLDER + model + ".keras");
    boolean tokenIds = model.startsWith("bert");
    // the fixtures' inputs: images in [0, 1], token ids in [0, 40) (0 is padding)
    double min = 0;
    double max = tokenIds ? 39 : 1;
    String name = model + "-" + mode.configName();
    Path tflite = dir.resolve(name + ".tflite");
    ConversionRequest request = ConversionRequest.of(name, keras, mode, tflite);
    if (mode == QuantizationMode.INT8) { // float input and output, int8 inside, calibrated on the validation range
      request = request.withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max)));
    }
    Path work = dir.resolve("work");
    long start = System.nanoTime();
    ConversionResult result = new dev.tflite.convert.TfliteConverter().convert(request, work);
    double seconds = (System.nanoTime() - start) / 1e9;
    Tolerance tolerance = Tolerance.defaultFor(mode.configName());
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, keras, model + ".keras", List.of("serve"), tflite,
        mode.configName(), 8, 9, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null, List.of(1, 4)));
    Path official = Tflite.fixture(FOLDER + model + "." + mode.configName() + ".official.tflite");
    String officialFigures = Files.exists(official) ? String.format(Locale.ROOT, "official %7d bytes %s", official.toFile().length(),
        Tflite.opCounts(official)) : "no official file";
    System.out.printf(Locale.ROOT, "attention zoo %-22s %-14s %7d bytes  worst max abs %.3g  SNR %.1f dB  %.2f s  %s  ops %s  float %s  | %s%n", model,
        mode.configName(), result.sizeBytes(), report.worstMaxAbsError(),
        report.outputs().stream().mapToDouble(o -> o.snrDb()).min().orElse(Double.NaN), seconds, report.passed() ? "pass" : "FAIL " + report.failingOutputs(),
        result.opCounts(), result.floatOps(), officialFigures);
    assertTrue(report.passed(), name + ": drift beyond " + tolerance.summary() + " (worst max abs " + report.worstMaxAbsError() + ")");
  }

  /**
   * For a 2.18 target the exact GELU of the MLP blocks (Keras 3 writes 0.5x (1 + erf(x / sqrt 2)) as the importer reads
   * it) is one GELU per block, as the official converter writes it, instead of the 2.6 target's erf decomposition;
   * validated against TensorFlow with the float default tolerance (2.18 only: GELU arrived in 2.9).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"vit", "bert"})
  void exactGeluIsOneOpForATargetThatHasIt(String model) {
    Path keras = Tflite.fixture(FOLDER + model + ".keras");
    Path tflite = dir.resolve(model + "-2.18.tflite");
    Path work = dir.resolve("work-2.18");
    ConversionResult result = new dev.tflite.convert.TfliteConverter().convert(ConversionRequest.of(model + "-2.18", keras, QuantizationMode.NONE, tflite)
        .withTargetRuntime(dev.tflite.convert.target.TargetRuntime.parse("2.18")), work);
    Map<String, Integer> official = Tflite.opCounts(Tflite.fixture(FOLDER + model + ".none.official.tflite"));
    assertEquals(official.get("GELU"), result.opCounts().get("GELU"), "GELU count as official: " + result.opCounts());
    assertEquals(null, result.opCounts().get("EXP"), "no erf decomposition left: " + result.opCounts());
    double max = model.startsWith("bert") ? 39 : 1;
    ValidationReport report = Tflite.validate(keras, tflite, Tolerance.defaultFor("none"), 0, max, work);
    System.out.printf(Locale.ROOT, "attention zoo %-6s target 2.18 none: %d bytes, worst max abs %.3g, ops %s%n", model, result.sizeBytes(),
        report.worstMaxAbsError(), result.opCounts());
    assertTrue(report.passed(), model + " at 2.18: " + report.failingOutputs());
  }

  /** Same model, same bytes: heads, masks and the shared sublayer constants come out in one order every time. */
  @org.junit.jupiter.api.Test
  void conversionIsByteIdentical() throws java.io.IOException {
    Path source = Tflite.fixture(FOLDER + "bert_transfer.keras");
    Tflite.convert(source, QuantizationMode.DYNAMIC_RANGE, dir.resolve("a.tflite"));
    Tflite.convert(source, QuantizationMode.DYNAMIC_RANGE, dir.resolve("b.tflite"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("a.tflite")), Files.readAllBytes(dir.resolve("b.tflite")));
  }
}
