package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.RNet;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.JsonReport;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/** The seed: MTCNN's RNet with OPTIMIZE_FOR_SIZE (dynamic-range), as the "done when" states it. */
class RNetEndToEndTest {
  @TempDir
  static Path dir;
  static Path savedModel;

  @BeforeAll
  static void exportRNet() {
    savedModel = RNet.export(dir.resolve("rnet"));
  }

  @Test
  void dynamicRangeRNetIsFusedSmallAndAccurate() {
    Path tflite = dir.resolve("rnet.tflite");
    ConversionResult result = Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, tflite);

    Map<String, Integer> ops = Tflite.opCounts(tflite);
    assertEquals(Map.of("CONV_2D", 3, "PRELU", 4, "MAX_POOL_2D", 2, "RESHAPE", 1, "FULLY_CONNECTED", 3, "SOFTMAX", 1), ops,
        "PReLU fused, bias and activations folded, no leftover NEG/RELU/ADD/MUL");
    assertTrue(result.storedWeightBytes() < 0.35 * result.floatWeightBytes(),
        "weights " + result.storedWeightBytes() + " of " + result.floatWeightBytes() + " float bytes");
    long int8Tensors = Arrays.stream(Tflite.read(tflite).getSubgraphs()[0].getTensors()).map(TensorT::getType)
        .filter(t -> t == TensorType.INT8).count();
    assertEquals(3, int8Tensors, "conv2, conv3 and the 576x128 dense have >= 1024 weights; conv1 (756) and the heads stay float");

    ValidationReport report = Tflite.validate(savedModel, tflite, new Tolerance(0.05, null, null, null), -1, 1);
    assertTrue(report.passed(), "max abs drift " + report.worstMaxAbsError());
    assertEquals(2, report.outputs().size());
    assertEquals("boxes", report.outputs().get(0).name());
    assertEquals("score", report.outputs().get(1).name());
  }

  @Test
  void floatRNetMatchesTensorFlow() {
    Path tflite = dir.resolve("rnet-float.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, tflite);
    FloatBound.assertMatches(Tflite.validate(savedModel, tflite, Tflite.unbounded(), -1, 1), tflite, "float RNet");
  }

  @Test
  void tightToleranceFailsNamingOutputMetricAndLimit() {
    Path tflite = dir.resolve("rnet-tight.tflite");
    Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, tflite);
    ValidationReport report = Tflite.validate(savedModel, tflite, new Tolerance(1e-7, null, null, null), -1, 1);
    assertFalse(report.passed());
    assertEquals(2, report.failingOutputs().size());
    var violation = report.failingOutputs().get(0).violations().get(0);
    assertEquals("maxAbsError", violation.metric());
    assertEquals(1e-7, violation.limit());
    assertTrue(violation.value() > 1e-7);
  }

  @Test
  void conversionAndReportsAreByteIdenticalAcrossRuns() throws Exception {
    Path first = dir.resolve("a/rnet.tflite");
    Path second = dir.resolve("b/rnet.tflite");
    Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, first);
    Tflite.convert(RNet.export(dir.resolve("rnet-again")), QuantizationMode.DYNAMIC_RANGE, second);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));

    Tolerance tolerance = new Tolerance(0.05, null, null, null);
    String a = JsonReport.toJson(Tflite.validate(savedModel, first, tolerance, -1, 1));
    String b = JsonReport.toJson(Tflite.validate(savedModel, second, tolerance, -1, 1));
    assertEquals(a, b);
    assertFalse(a.contains(dir.toString()), "reports hold no absolute paths");
  }
}
