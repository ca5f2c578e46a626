package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real models in fixtures/ (committed test data, provenance in its README), made by Keras and TensorFlow in Python, converted without Python. */
class FixtureConformanceTest {
  @TempDir
  Path dir;

  @Test
  void kerasSavedModelFloatMatchesTensorFlow() {
    Path savedModel = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path tflite = dir.resolve("mlp.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, tflite);
    assertEquals(Map.of("FULLY_CONNECTED", 2, "LOGISTIC", 1), Tflite.opCounts(tflite), "Dense+relu fuses, sigmoid stays");
    FloatBound.assertMatches(Tflite.validate(savedModel, tflite, Tflite.unbounded(), 0, 1), tflite, "Keras SavedModel MLP, float");
  }

  @Test
  void kerasSavedModelDynamicRangeIsNoWorseThanTheOfficialConverter() throws Exception {
    Path savedModel = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path ours = dir.resolve("mlp-dr.tflite");
    Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, ours);
    Tolerance any = new Tolerance(null, null, null, null);
    OutputDrift ourDrift = Tflite.validate(savedModel, ours, any, 0, 1).outputs().get(0);
    OutputDrift officialDrift = Tflite.validate(savedModel, Tflite.fixture("keras-savedmodel-mlp/official_dynamic_range.tflite"), any, 0, 1)
        .outputs().get(0);
    assertTrue(ourDrift.maxAbsError() > 0, "quantized weights must drift a little");
    assertTrue(ourDrift.maxAbsError() <= officialDrift.maxAbsError() * 1.0001 + 1e-7,
        "ours " + ourDrift.maxAbsError() + " vs official " + officialDrift.maxAbsError());
    assertTrue(ourDrift.rmse() <= officialDrift.rmse() * 1.0001 + 1e-7, "ours " + ourDrift.rmse() + " vs official " + officialDrift.rmse());
    assertTrue(Files.size(ours) <= Files.size(Tflite.fixture("keras-savedmodel-mlp/official_dynamic_range.tflite")) * 1.05);
    assertEquals(9, Tflite.opVersions(ours).get("FULLY_CONNECTED"), "hybrid FC with asymmetric input quantization, as the official file");
  }

  @Test
  void tf1FrozenGraphWithFakeQuantConvertsAndMatches() {
    Path frozen = Tflite.fixture("tf1-frozen-qat/frozen_model.pb");
    Path tflite = dir.resolve("qat.tflite");
    Tflite.convert(frozen, QuantizationMode.NONE, tflite);
    assertEquals(4, Tflite.opCounts(tflite).get("FAKE_QUANT"));
    ValidationReport report = Tflite.validate(frozen, tflite, Tflite.unbounded(), 0, 1);
    FloatBound.assertMatches(report, tflite, "TF1 frozen QAT graph, float");
    assertEquals("dense_1/Softmax", report.outputs().get(0).name());
  }

  @Test
  void tf1GraphModeSavedModelFeedsTheSignatureTensorPastTfExampleParsing() {
    Path savedModel = Tflite.fixture("tfjava-savedmodels/saved_model_half_plus_two");
    Path tflite = dir.resolve("half.tflite");
    Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, tflite);
    ValidationReport report = Tflite.validate(savedModel, tflite, new Tolerance(1e-6, null, null, null), -10, 10);
    assertTrue(report.passed(), "y = x/2 + 2, drift " + report.worstMaxAbsError());
  }

  @Test
  void stringInputSignatureIsRejectedNamingTheNumericOnes() {
    Path savedModel = Tflite.fixture("tfjava-savedmodels/saved_model_half_plus_two");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(new ConversionRequest("half", savedModel,
        "classify_x_to_y", List.of("serve"), QuantizationMode.NONE, QuantizationOptions.defaults(), Map.of(), dir.resolve("x.tflite"))));
    assertTrue(e.getMessage().contains("classify_x_to_y") && e.getMessage().contains("DT_STRING") && e.getMessage().contains("serving_default"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.tflite")));
  }

  @Test
  void savedModelWithoutServingDefaultAsksForASignature() {
    Path savedModel = Tflite.fixture("tfjava-savedmodels/saved_model_using_python");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(savedModel, QuantizationMode.NONE, dir.resolve("p.tflite")));
    assertTrue(e.getMessage().contains("<signature>") && e.getMessage().contains("get_const_scalar"), e.getMessage());
  }

  @Test
  void tf2SavedModelSignatureWithVariablesConverts() {
    Path savedModel = Tflite.fixture("tfjava-savedmodels/saved_model_using_python");
    Path tflite = dir.resolve("add.tflite");
    Tflite.convert(new ConversionRequest("add", savedModel, "add", List.of("serve"), QuantizationMode.NONE, QuantizationOptions.defaults(),
        Map.of("a", new long[0], "b", new long[0]), tflite));
    ValidationReport report = Tflite.validate(savedModel, tflite, new Tolerance(1e-6, null, null, null), -3, 3);
    assertTrue(report.passed(), "drift " + report.worstMaxAbsError());
  }
}
