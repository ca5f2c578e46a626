package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras files straight from the POM, no Python: the real Keras 2 .h5 and Keras 3 .keras fixtures converted and checked
 * against the official converter's files of the same models (within 1e-5), and validated against TensorFlow running
 * the layers' ops.
 */
class KerasFixtureTest {
  @TempDir
  Path dir;

  private Path convert(Path source, QuantizationMode mode, String name) {
    Path out = dir.resolve(name + ".tflite");
    new TfliteConverter().convert(ConversionRequest.of(name, source, mode, out), dir.resolve("work"));
    return out;
  }

  private static ValidationReport compare(Path reference, Path candidate, double tolerance, double min, double max) {
    return new ModelValidator().validate(new ValidationRequest("m", reference, reference.getFileName().toString(), List.of("serve"), candidate, "x",
        32, 11, min, max, new Tolerance(tolerance, null, null, null)));
  }

  @Test
  void keras2H5MatchesTheOfficialFloatFile() {
    Path ours = convert(Tflite.fixture("keras-h5-cnn/digit_classifier.h5"), QuantizationMode.NONE, "digits");
    assertEquals(Map.of("CONV_2D", 2, "MAX_POOL_2D", 2, "RESHAPE", 1, "FULLY_CONNECTED", 2, "SOFTMAX", 1), Tflite.opCounts(ours),
        "Dropout is identity at inference; biases and ReLUs fused");
    ValidationReport report = compare(Tflite.fixture("keras-h5-cnn/official_float32.tflite"), ours, 1e-5, 0, 1);
    assertTrue(report.passed(), "vs official: " + report.worstMaxAbsError());
  }

  @Test
  void keras2H5ValidatesAgainstTensorFlowInEveryShippedMode() {
    Path h5 = Tflite.fixture("keras-h5-cnn/digit_classifier.h5");
    for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE)) {
      Path ours = convert(h5, mode, "digits-" + mode.configName());
      ValidationReport report = new ModelValidator().validate(new ValidationRequest("digits-" + mode.configName(), h5, "digit_classifier.h5",
          // float within FloatBound (scaled, reason stated there); dynamic-range within 0.1 on this 10-way softmax over random inputs (int8 weights)
          List.of("serve"), ours, mode.configName(), 32, 3, 0, 1, mode == QuantizationMode.NONE ? Tflite.unbounded() : new Tolerance(0.1, null, null, null)),
          new ValidationOptions(dir.resolve("work"), Map.of(), null, null));
      if (mode == QuantizationMode.NONE) {
        FloatBound.assertMatches(report, ours, mode.configName());
      } else {
        assertTrue(report.passed(), mode + ": " + report.worstMaxAbsError());
      }
      assertTrue(report.runtimes().reference().contains("Keras layers lowered to TensorFlow ops"));
    }
  }

  @Test
  void theNegativeControlIsFlagged() {
    Path other = convert(Tflite.fixture("keras-h5-cnn/other_model_negative_control.h5"), QuantizationMode.NONE, "other");
    ValidationReport report = compare(Tflite.fixture("keras-h5-cnn/official_float32.tflite"), other, 1e-5, 0, 1);
    assertFalse(report.passed(), "a different model must not pass against the official file");
    assertTrue(report.worstMaxAbsError() > 0.1, "drift " + report.worstMaxAbsError());
  }

  @Test
  void keras3KerasMatchesTheOfficialFloatAndFloat16Files() {
    Path keras = Tflite.fixture("keras3-cnn/best_model.keras");
    Path float32 = convert(keras, QuantizationMode.NONE, "keras3");
    ValidationReport report = compare(Tflite.fixture("keras3-cnn/official_float32.tflite"), float32, 1e-5, 0.3, 0.5);
    assertTrue(report.passed(), "float vs official: " + report.worstMaxAbsError());

    Path float16 = convert(keras, QuantizationMode.FLOAT16, "keras3-f16");
    Path official16 = Tflite.fixture("keras3-cnn/official_float16.tflite");
    assertEquals(Tflite.opCounts(official16), Tflite.opCounts(float16));
    ValidationReport f16 = compare(official16, float16, 1e-5, 0.3, 0.5);
    assertTrue(f16.passed(), "float16 vs official float16: " + f16.worstMaxAbsError());
  }

  @Test
  void unsupportedLayersAreListedAtOnceAndANonKerasHdf5IsNamed() throws Exception {
    Path notKeras = dir.resolve("measurements.h5");
    try (WritableHdfFile h5 = HdfFile.write(notKeras)) {
      h5.putDataset("readings", new float[] {1, 2, 3});
    }
    ConversionException e = assertThrows(ConversionException.class, () -> convert(notKeras, QuantizationMode.NONE, "not-keras"));
    assertTrue(e.getMessage().contains("measurements.h5 is an HDF5 file but not a Keras model"), e.getMessage());

    Path zip = dir.resolve("unsupported.keras");
    Path weights = dir.resolve("model.weights.h5");
    try (WritableHdfFile h5 = HdfFile.write(weights)) {
      h5.putGroup("layers");
    }
    String config = """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 3], "name": "in"}},
          {"class_name": "ConvLSTM2D", "config": {"name": "convlstm1", "filters": 4}},
          {"class_name": "ConvLSTM2D", "config": {"name": "convlstm2", "filters": 4}},
          {"class_name": "Conv3DTranspose", "config": {"name": "up3d", "filters": 4}}]}}""";
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("config.json"));
      out.write(config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.putNextEntry(new java.util.zip.ZipEntry("model.weights.h5"));
      out.write(Files.readAllBytes(weights));
    }
    ConversionException u = assertThrows(ConversionException.class, () -> convert(zip, QuantizationMode.NONE, "unsupported"));
    // layer classes the catalogue does not have (it grows: these are rare ones)
    assertTrue(u.getMessage().contains("2 Keras layer class(es)") && u.getMessage().contains("ConvLSTM2D (convlstm1, convlstm2)")
        && u.getMessage().contains("Conv3DTranspose (up3d)"), u.getMessage());
    assertFalse(Files.exists(dir.resolve("unsupported.tflite")));
  }
}
