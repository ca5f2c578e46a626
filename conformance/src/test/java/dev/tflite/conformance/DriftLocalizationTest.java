package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.OutlierModel;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.LayerDrift;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Localizing drift: a model where quantization breaks exactly one layer (a dense layer with a weight outlier) must be
 * reported with that layer first, with the error attributed to quantization rather than conversion; keeping that
 * layer in float must fix it. Any two models can be compared, and a broken one is called out plainly.
 */
class DriftLocalizationTest {
  @TempDir
  static Path dir;
  static Path outlier;

  @BeforeAll
  static void export() {
    outlier = OutlierModel.export(dir.resolve("outlier"));
  }

  private static ValidationReport convertAndValidate(QuantizationMode mode, QuantizationOptions options, String name) {
    Path work = dir.resolve("work");
    Path tflite = dir.resolve(name + ".tflite");
    new TfliteConverter().convert(ConversionRequest.of(name, outlier, mode, tflite).withQuantization(mode, options), work);
    return new ModelValidator().validate(new ValidationRequest(name, outlier, "outlier", List.of("serve"), tflite, mode.configName(), 32, 1, 0, 1,
        Tolerance.defaultFor("int8")), new ValidationOptions(work, Map.of(), null, null));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = QuantizationMode.class, names = {"DYNAMIC_RANGE", "INT8"})
  void theBrokenLayerIsNamedFirstAndBlamedOnQuantization(QuantizationMode mode) {
    ValidationReport report = convertAndValidate(mode, QuantizationOptions.defaults(), "outlier-" + mode.configName());
    assertFalse(report.passed(), "the outlier breaks the quantized model");
    assertEquals("dense2/MatMul", report.firstDriftingLayer());
    LayerDrift dense1 = report.layers().get(0);
    LayerDrift dense2 = report.layers().get(1);
    assertEquals("dense1/MatMul", dense1.origin());
    assertTrue(dense1.normalizedError() < 0.05, "the layer before is fine: " + dense1);
    assertTrue(dense2.flagged() && dense2.normalizedError() > 0.5, "dense2 is broken: " + dense2);
    if (mode == QuantizationMode.INT8) {
      assertTrue(dense1.rmseOverScale() < 0.7, "a well-quantized layer is about 0.29 steps: " + dense1);
      assertTrue(dense2.rmseOverScale() > 0.7, "the broken layer is far off in quantization steps: " + dense2);
    }
    OutputDrift out = report.outputs().get(0);
    assertNotNull(out.conversion());
    long k = FloatBound.longestAccumulation(dir.resolve("work").resolve("outlier-" + mode.configName() + ".float.tflite"));
    double floatBound = FloatBound.of(FloatBound.maxAbsReference(out), k);
    assertTrue(out.conversion().maxAbsError() <= floatBound, "conversion itself is exact up to float rounding: " + out.conversion() + " vs " + floatBound);
    assertTrue(out.quantization().maxAbsError() > 0.05, "the error comes from quantization: " + out.quantization());
  }

  @Test
  void keepingTheNamedLayerInFloatFixesIt() {
    QuantizationOptions keep = new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(Pattern.compile(Pattern.quote("dense2/MatMul"))),
        false, CalibrationSettings.randomDefault());
    ValidationReport report = convertAndValidate(QuantizationMode.DYNAMIC_RANGE, keep, "outlier-kept");
    assertTrue(report.passed(), "worst max abs " + report.worstMaxAbsError());
    assertEquals(null, report.firstDriftingLayer());
  }

  /**
   * The fixture's int8 file outputs 0.125 for every class in TensorFlow Lite 2.6.2 but agrees with its float model in
   * 2.18 (on inputs inside its uint8 range): the kernels differ. Validation runs the file in both, so the build fails
   * for the runtime where it is broken, and says which.
   */
  @Test
  void officialBrokenInt8IsFlaggedInTheRuntimeWhereItIsBroken() {
    Path float32 = Tflite.fixture("keras3-cnn/official_float32.tflite");
    Path broken = Tflite.fixture("keras3-cnn/official_int8_broken.tflite");
    ValidationReport report = new ModelValidator().validate(new ValidationRequest("keras3-int8", float32, "official_float32.tflite", List.of("serve"),
        broken, "int8", 32, 1, 0.3, 0.5, Tolerance.defaultFor("int8")));
    assertFalse(report.passed());
    assertEquals("uint8", report.inputs().get(0).type(), "the uint8 input is fed quantized with its own scale");
    OutputDrift out = report.outputs().get(0);
    assertTrue(out.cosineSimilarity() > 0.99, "the current runtime agrees with the float model: " + out.cosineSimilarity());
    assertTrue(out.oldestRuntime().maxAbsError() > 0.5, "TensorFlow Lite 2.6.2 gives 0.125 for every class: " + out.oldestRuntime());
    assertFalse(out.violations().isEmpty());
    assertTrue(out.violations().stream().allMatch(v -> v.metric().startsWith("oldestRuntime.")), String.valueOf(out.violations()));
    assertEquals(1, report.runtimes().oldestSamples());
  }

  @Test
  void withoutTheOldestRuntimeSamplesOnlyItsLoadingIsChecked() {
    Path float32 = Tflite.fixture("keras3-cnn/official_float32.tflite");
    Path broken = Tflite.fixture("keras3-cnn/official_int8_broken.tflite");
    ValidationReport report = new ModelValidator().validate(new ValidationRequest("keras3-int8", float32, "official_float32.tflite", List.of("serve"),
        broken, "int8", 32, 1, 0.3, 0.5, Tolerance.defaultFor("int8")), ValidationOptions.defaults().withOldestRuntimeSamples(0));
    assertTrue(report.passed(), String.valueOf(report.outputs()));
    assertNull(report.outputs().get(0).oldestRuntime());
  }
}
