package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.runtime.NpyReader;
import dev.tflite.testmodels.MobileNetStyle;
import dev.tflite.testmodels.RNet;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Every quantization mode on the seed RNet, a MobileNet-style model and the real Keras fixture, each run in the
 * TensorFlow Lite 2.6 interpreter against TensorFlow. Tolerances are per mode (max abs on outputs in [0, 1], inputs
 * from the calibrated range); each mode must also change the weights' storage type as it promises.
 */
class QuantizationModesTest {
  @TempDir
  static Path dir;
  static Path rnet;
  static Path mobileNet;

  @BeforeAll
  static void exportModels() {
    rnet = RNet.export(dir.resolve("rnet"));
    mobileNet = MobileNetStyle.export(dir.resolve("mobilenet"), 64, 2, 10);
  }

  static QuantizationOptions calibratedOn(double min, double max) {
    return QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max));
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of(QuantizationMode.NONE, 1e-6, TensorType.FLOAT32), // only for a float .tflite source; against TensorFlow: FloatBound
        Arguments.of(QuantizationMode.DYNAMIC_RANGE, 0.05, TensorType.INT8),
        Arguments.of(QuantizationMode.FLOAT16, 2e-3, TensorType.FLOAT16),
        Arguments.of(QuantizationMode.WEIGHT_ONLY_INT8, 0.05, TensorType.INT8),
        Arguments.of(QuantizationMode.INT8, 0.08, TensorType.INT8),
        Arguments.of(QuantizationMode.INT16X8, 0.05, TensorType.INT16));
  }

  @ParameterizedTest(name = "RNet {0}")
  @MethodSource("modes")
  void rnetInEveryMode(QuantizationMode mode, double tolerance, byte storedType) {
    checkMode(rnet, "rnet", mode, tolerance, storedType, -1, 1);
  }

  @ParameterizedTest(name = "MobileNet-style {0}")
  @MethodSource("modes")
  void mobileNetInEveryMode(QuantizationMode mode, double tolerance, byte storedType) {
    checkMode(mobileNet, "mobilenet", mode, tolerance, storedType, 0, 1);
  }

  @ParameterizedTest(name = "Keras MLP fixture {0}")
  @MethodSource("modes")
  void kerasFixtureInEveryMode(QuantizationMode mode, double tolerance, byte storedType) {
    // sigmoid outputs of a 784-input MLP on random [0,1] inputs: quantized modes get 5x the seed's tolerance (float: FloatBound)
    double scaled = mode == QuantizationMode.NONE ? 0 : mode == QuantizationMode.FLOAT16 ? 5e-3 : tolerance * 5;
    checkMode(Tflite.fixture("keras-savedmodel-mlp/saved_model"), "mlp", mode, scaled, storedType, 0, 1);
  }

  private void checkMode(Path source, String name, QuantizationMode mode, double tolerance, byte storedType, double min, double max) {
    Path tflite = dir.resolve(name + "-" + mode.configName() + ".tflite");
    ConversionRequest request = ConversionRequest.of(name, source, mode, tflite).withQuantization(mode, calibratedOn(min, max));
    ConversionResult result = Tflite.convert(request);
    ModelT model = Tflite.read(tflite);
    boolean hasStoredType = Arrays.stream(model.getSubgraphs()[0].getTensors()).anyMatch(t -> t.getType() == storedType);
    assertTrue(hasStoredType, mode + " must store tensors as " + TensorType.name(storedType));
    if (mode == QuantizationMode.NONE && !source.getFileName().toString().endsWith(".tflite")) {
      // float against TensorFlow: the bound scales with the output and the accumulation length (FloatBound says why)
      FloatBound.assertMatches(Tflite.validate(source, tflite, Tflite.unbounded(), min, max), tflite, mode + " on " + name + " " + result.opCounts());
      return;
    }
    ValidationReport report = Tflite.validate(source, tflite, new Tolerance(tolerance, null, null, null), min, max);
    assertTrue(report.passed(), mode + " on " + name + ": max abs " + report.worstMaxAbsError() + " > " + tolerance + " (" + result.opCounts() + ")");
  }

  @Test
  void int8StoresPerChannelInt8WeightsInt32BiasAndInt8Activations() {
    Path tflite = dir.resolve("rnet-int8-layout.tflite");
    Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8, tflite).withQuantization(QuantizationMode.INT8, calibratedOn(-1, 1)));
    TensorT[] tensors = Tflite.read(tflite).getSubgraphs()[0].getTensors();
    TensorT conv2 = find(tensors, "conv2/Conv2D/filter_ohwi");
    assertEquals(TensorType.INT8, conv2.getType());
    assertEquals(48, conv2.getQuantization().getScale().length, "per output channel");
    assertEquals(TensorType.INT32, find(tensors, "conv2/Conv2D/bias").getType());
    assertEquals(TensorType.INT8, find(tensors, "pool1").getType());
    TensorT score = find(tensors, "score");
    assertEquals(TensorType.INT8, score.getType());
    assertEquals(1f / 256, score.getQuantization().getScale()[0], "softmax output is fixed at 1/256");
    assertEquals(-128, score.getQuantization().getZeroPoint()[0]);
    assertEquals(Map.of("CONV_2D", 3, "DEQUANTIZE", 2, "FULLY_CONNECTED", 3, "MAX_POOL_2D", 2, "PRELU", 4, "QUANTIZE", 1, "RESHAPE", 1, "SOFTMAX", 1),
        Tflite.opCounts(tflite), "float input quantized once, two float outputs dequantized");
    assertEquals(3, Tflite.opVersions(tflite).get("CONV_2D"));
  }

  @Test
  void int8WithIntegerInputAndOutputTypes() {
    for (IoType io : List.of(IoType.INT8, IoType.UINT8)) {
      Path tflite = dir.resolve("mobilenet-io-" + io.configName() + ".tflite");
      QuantizationOptions options = new QuantizationOptions(true, io, io, Set.of(), List.of(), false, new CalibrationSettings(null, 32, 3, 0, 1));
      Tflite.convert(ConversionRequest.of("m", mobileNet, QuantizationMode.INT8, tflite).withQuantization(QuantizationMode.INT8, options));
      ModelT model = Tflite.read(tflite);
      TensorT input = model.getSubgraphs()[0].getTensors()[model.getSubgraphs()[0].getInputs()[0]];
      TensorT output = model.getSubgraphs()[0].getTensors()[model.getSubgraphs()[0].getOutputs()[0]];
      assertEquals(io.type().tfliteType(), input.getType());
      assertEquals(io.type().tfliteType(), output.getType());
      ValidationReport report = Tflite.validate(mobileNet, tflite, new Tolerance(0.02, null, null, null), 0, 1);
      assertTrue(report.passed(), io + " I/O: " + report.worstMaxAbsError());
    }
  }

  @Test
  void perTensorOnRequest() {
    Path tflite = dir.resolve("rnet-int8-per-tensor.tflite");
    QuantizationOptions options = new QuantizationOptions(false, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(), false, new CalibrationSettings(null, 32, 3, -1, 1));
    Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8, tflite).withQuantization(QuantizationMode.INT8, options));
    assertEquals(1, find(Tflite.read(tflite).getSubgraphs()[0].getTensors(), "conv2/Conv2D/filter_ohwi").getQuantization().getScale().length);
    assertTrue(Tflite.validate(rnet, tflite, new Tolerance(0.1, null, null, null), -1, 1).passed());
  }

  @Test
  void selectedLayersStayFloat() {
    Path tflite = dir.resolve("rnet-int8-keep.tflite");
    QuantizationOptions options = new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of("SOFTMAX"), List.of(Pattern.compile("conv5-2/.*")),
        false, new CalibrationSettings(null, 32, 3, -1, 1));
    Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8, tflite).withQuantization(QuantizationMode.INT8, options));
    TensorT[] tensors = Tflite.read(tflite).getSubgraphs()[0].getTensors();
    assertEquals(TensorType.FLOAT32, find(tensors, "score").getType(), "SOFTMAX kept float by op type");
    assertEquals(TensorType.FLOAT32, find(tensors, "conv5-2/MatMul/weights").getType(), "the boxes head kept float by node name");
    assertEquals(TensorType.INT8, find(tensors, "conv4/MatMul/weights").getType());
    assertTrue(Tflite.validate(rnet, tflite, new Tolerance(0.08, null, null, null), -1, 1).passed());
  }

  @Test
  void integerOnlyListsTheOpsWithoutAnIntegerKernel() {
    QuantizationOptions options = new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(), true, CalibrationSettings.randomDefault());
    Path qat = Tflite.fixture("tf1-frozen-qat/frozen_model.pb");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(
        ConversionRequest.of("qat", qat, QuantizationMode.INT8, dir.resolve("qat.tflite")).withQuantization(QuantizationMode.INT8, options)));
    assertTrue(e.getMessage().contains("FAKE_QUANT (no int8 kernel") && e.getMessage().contains("dense/act_quant/FakeQuantWithMinMaxVars"), e.getMessage());
  }

  @Test
  void calibrationFromNpyFilesIsDeterministicAndUsed() throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    Path perSample = dir.resolve("npy-samples");
    for (int s = 0; s < 8; s++) {
      float[] values = new float[24 * 24 * 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextDouble() * 2 - 1);
      }
      NpyReader.write(perSample.resolve(String.format("sample_%02d.npy", s)), new long[] {1, 24, 24, 3}, values);
    }
    Path a = dir.resolve("npy-a.tflite");
    Path b = dir.resolve("npy-b.tflite");
    QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(perSample, 100, 0, 0, 1));
    Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8, a).withQuantization(QuantizationMode.INT8, options));
    Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8, b).withQuantization(QuantizationMode.INT8, options));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    TensorT input = find(Tflite.read(a).getSubgraphs()[0].getTensors(), "input/quantize");
    assertEquals(2.0 / 255, input.getQuantization().getScale()[0], 1e-4, "the input range comes from the .npy samples ([-1, 1])");
    assertTrue(Tflite.validate(rnet, a, new Tolerance(0.08, null, null, null), -1, 1).passed());
  }

  @Test
  void calibrationFileWithTheWrongShapeIsRejected() throws Exception {
    Path bad = dir.resolve("npy-bad");
    NpyReader.write(bad.resolve("sample.npy"), new long[] {1, 10}, new float[10]);
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(ConversionRequest.of("rnet", rnet, QuantizationMode.INT8,
        dir.resolve("bad.tflite")).withQuantization(QuantizationMode.INT8, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(bad, 10, 0, 0, 1)))));
    assertTrue(e.getMessage().contains("sample.npy has shape [1, 10], but input 'input' takes [1, 24, 24, 3]"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("bad.tflite")));
  }

  @Test
  void float16OfKeras3CnnMatchesTheOfficialConverter() throws Exception {
    Path official32 = Tflite.fixture("keras3-cnn/official_float32.tflite");
    Path official16 = Tflite.fixture("keras3-cnn/official_float16.tflite");
    Path ours = dir.resolve("keras3-float16.tflite");
    Tflite.convert(ConversionRequest.of("keras3", official32, QuantizationMode.FLOAT16, ours));
    assertEquals(Tflite.opCounts(official16), Tflite.opCounts(ours), "same ops, DEQUANTIZE included");
    assertEquals(3, Tflite.opVersions(ours).get("DEQUANTIZE"), "float16 DEQUANTIZE is version 3, as in the official file");
    double ratio = (double) Files.size(ours) / Files.size(official16);
    assertTrue(Math.abs(ratio - 1) < 0.05, "size ratio to the official float16 file: " + ratio);
    ValidationReport report = Tflite.validate(official32, ours, new Tolerance(1e-3, null, null, null), 0.3, 0.5);
    assertTrue(report.passed(), "float16 vs float32 source: " + report.worstMaxAbsError());
  }

  @ParameterizedTest(name = "float .tflite source {0}")
  @MethodSource("modes")
  void floatTfliteSourceInEveryMode(QuantizationMode mode, double tolerance, byte storedType) {
    // the keras3 CNN's outputs are near-saturated softmax on inputs in [0.3, 0.5] (fixture README)
    checkMode(Tflite.fixture("keras3-cnn/official_float32.tflite"), "keras3", mode, Math.max(tolerance / 5, 1e-6), storedType, 0.3, 0.5);
  }

  private static TensorT find(TensorT[] tensors, String name) {
    return Arrays.stream(tensors).filter(t -> t.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tensor " + name + " in " + Arrays.stream(tensors).map(TensorT::getName).toList()));
  }
}
