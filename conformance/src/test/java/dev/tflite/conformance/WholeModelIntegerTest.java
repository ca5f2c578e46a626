package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.Keras2Zoo;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ModelFacts;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.tflite.convert.quantize.IoType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole real models in int8, the cases: Keras 2 models whose biased convolutions are followed by batch norm
 * (the official MobileNetV1 fixture and the Keras 2 DS-CNN keyword spotter with its Dense+BatchNorm head). With float
 * I/O the census holds no float compute op at all (only the input QUANTIZE and output DEQUANTIZE), the conversion
 * result and the report list none, and the softmax outputs stay within 0.05 of TensorFlow (the quantized default).
 */
class WholeModelIntegerTest {
  @TempDir
  static Path dir;

  static Stream<Arguments> models() {
    Keras2Zoo.Entry dsCnn = Keras2Zoo.MODELS.stream().filter(e -> e.name().equals("keras2_ds_cnn")).findFirst().orElseThrow();
    return Stream.of(
        Arguments.of("vww_96", Tflite.fixture("keras2-mobilenet-v1-bn/vww_96.h5"), 0.0, 1.0),
        Arguments.of("keras2_ds_cnn", dsCnn.writer().apply(dir.resolve("ds_cnn.h5")), dsCnn.min(), dsCnn.max()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void fullyIntegerWithFloatIo(String name, Path source, double min, double max) throws Exception {
    Path tflite = dir.resolve(name + "-int8.tflite");
    QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max));
    Path work = dir.resolve(name + "-work"); // Keras validation lowers the model once more from the converter's work files
    ConversionResult r = new TfliteConverter().convert(ConversionRequest.of(name, source, QuantizationMode.INT8, tflite)
        .withQuantization(QuantizationMode.INT8, options), work);
    assertEquals(List.of(), r.floatOps());
    ModelFacts facts = ModelFacts.read(tflite);
    assertEquals(List.of(), facts.floatOps(), "float compute ops in " + facts.ops());
    assertEquals(1, facts.ops().get("QUANTIZE"), "one QUANTIZE, at the input: " + facts.ops());
    assertEquals(1, facts.ops().get("DEQUANTIZE"), "one DEQUANTIZE, at the output: " + facts.ops());
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, source, source.getFileName().toString(), List.of("serve"),
        tflite, "int8", 16, 7, min, max, new Tolerance(0.05, null, null, null)), new ValidationOptions(work, Map.of(), null, null));
    assertTrue(report.passed(), name + ": max abs " + report.worstMaxAbsError());
  }

  /**
   * Like for like with the official full-integer file of the Keras 2 MobileNetV1 (int8 input and output): the same op
   * census, op for op (31 ops, no QUANTIZE or DEQUANTIZE), no bigger file, and every weighted op integer.
   */
  @Test
  void theKeras2MobileNetWithInt8IoHasTheOfficialInt8Census() throws Exception {
    Path source = Tflite.fixture("keras2-mobilenet-v1-bn/vww_96.h5");
    Path official = Tflite.fixture("keras2-mobilenet-v1-bn/official_int8.tflite");
    Path tflite = dir.resolve("vww_96-int8-io.tflite");
    QuantizationOptions d = QuantizationOptions.defaults();
    QuantizationOptions options = new QuantizationOptions(d.perChannel(), IoType.INT8, IoType.INT8, d.keepFloatOpTypes(), d.keepFloatNodes(), false,
        new CalibrationSettings(null, 32, 3, 0, 1));
    new TfliteConverter().convert(ConversionRequest.of("vww_96", source, QuantizationMode.INT8, tflite).withQuantization(QuantizationMode.INT8, options));
    assertEquals(ModelFacts.read(official).ops(), ModelFacts.read(tflite).ops(), "op census, ours vs the official int8 file");
    assertTrue(java.nio.file.Files.size(tflite) <= java.nio.file.Files.size(official), "no bigger than the official file");
    assertEquals(List.of(), ModelFacts.read(tflite).floatOps());
  }
}
