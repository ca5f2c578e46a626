package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.convert.target.TargetRuntime;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import dev.tflite.validation.run.InputGenerator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;

/**
 * The target runtime: the {@code min_runtime_version} metadata written as the official converter writes it, the
 * per-channel FULLY_CONNECTED scheme a 2.18 target gets, why the 2.6 target does without it, and integer-only
 * requests that fail listing every float op.
 */
class TargetRuntimeTest {
  @TempDir
  static Path dir;

  static QuantizationOptions calibrated(double min, double max) {
    return QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max));
  }

  /** The metadata entry's text and the length of its buffer. */
  static String minRuntimeVersion(ModelT model, int[] bufferLength) {
    for (MetadataT m : model.getMetadata()) {
      if (m.getName().equals("min_runtime_version")) {
        BufferT buffer = model.getBuffers()[(int) m.getBuffer()];
        bufferLength[0] = buffer.getData().length;
        StringBuilder text = new StringBuilder();
        for (int b : buffer.getData()) {
          if (b == 0) {
            break;
          }
          text.append((char) b);
        }
        return text.toString();
      }
    }
    return null;
  }

  @Test
  void minRuntimeVersionMatchesTheOfficialConvertersEntry() {
    // same model, same float ops and versions: the official file says 1.6.0 (MEAN v1) in a 16-byte zero-padded buffer
    ModelT official = Tflite.read(Tflite.fixture("keras3-cnn/official_float32.tflite"));
    int[] officialLength = new int[1];
    String officialVersion = minRuntimeVersion(official, officialLength);
    Path ours = dir.resolve("keras3-float.tflite");
    Tflite.convert(Tflite.fixture("keras3-cnn/best_model.keras"), QuantizationMode.NONE, ours);
    int[] ourLength = new int[1];
    assertEquals(officialVersion, minRuntimeVersion(Tflite.read(ours), ourLength));
    assertEquals(officialLength[0], ourLength[0]);
    assertEquals(16, ourLength[0]);
  }

  @Test
  void aTargetOf218GetsPerChannelDenseWeightsAndIsValidatedThere() {
    Path mlp = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path old = dir.resolve("mlp-2.6.tflite");
    Path newer = dir.resolve("mlp-2.18.tflite");
    ConversionRequest request = ConversionRequest.of("mlp", mlp, QuantizationMode.INT8, old).withQuantization(QuantizationMode.INT8, calibrated(0, 1));
    ConversionResult r26 = Tflite.convert(request);
    ConversionResult r218 = Tflite.convert(request.withOutput(newer).withTargetRuntime(TargetRuntime.parse("2.18")));
    assertEquals("2.6.0".compareTo(r26.minRuntimeVersion()) >= 0, true, "the default target needs at most 2.6: " + r26.minRuntimeVersion());
    assertEquals("2.18.0", r218.minRuntimeVersion());
    assertEquals(List.of(), r26.floatOps());
    assertEquals(List.of(), r218.floatOps());

    TensorT oldWeights = denseWeights(Tflite.read(old));
    TensorT newWeights = denseWeights(Tflite.read(newer));
    assertEquals(1, oldWeights.getQuantization().getScale().length, "2.6: one scale, the only form its FULLY_CONNECTED kernel reads");
    assertEquals(oldWeights.getShape()[0], newWeights.getQuantization().getScale().length, "2.18: a scale per output unit");
    assertEquals(Tflite.opVersions(old).get("FULLY_CONNECTED"), Tflite.opVersions(newer).get("FULLY_CONNECTED"), "same op version (4)");

    Tolerance tolerance = new Tolerance(0.25, null, null, null); // the fixture's sigmoid outputs, as in QuantizationModesTest
    ValidationReport v26 = Tflite.validate(mlp, old, tolerance, 0, 1);
    ValidationReport v218 = Tflite.validate(mlp, newer, tolerance, 0, 1);
    assertTrue(v26.passed() && v218.passed(), v26.worstMaxAbsError() + " / " + v218.worstMaxAbsError());
    assertEquals("TensorFlow Lite 2.6.2", v26.runtimes().oldest());
    assertNull(v218.runtimes().oldest(), "the 2.6.2 check is skipped for a 2.18 target");
    assertTrue(v218.diagnostics().stream().anyMatch(d -> d.contains("oldest-runtime check") && d.contains("2.18.0")), v218.diagnostics().toString());
    double rmse26 = v26.outputs().get(0).rmse();
    double rmse218 = v218.outputs().get(0).rmse();
    System.out.printf(java.util.Locale.ROOT, "MLP int8 rmse vs TensorFlow: target 2.6 %.4g, target 2.18 %.4g%n", rmse26, rmse218);
    assertTrue(rmse218 <= rmse26, "per-channel weights drift no more than per-tensor: " + rmse218 + " > " + rmse26);
  }

  @Test
  void perChannelDenseWeightsAreWrongInTheOldestRuntime() {
    // why the default target keeps per-tensor weights: 2.6.2 loads the file and reads only the first scale
    Path mlp = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path newer = dir.resolve("mlp-2.18-in-2.6.tflite");
    Tflite.convert(ConversionRequest.of("mlp", mlp, QuantizationMode.INT8, newer).withQuantization(QuantizationMode.INT8, calibrated(0, 1))
        .withTargetRuntime(TargetRuntime.parse("2.18")));
    try (TfLiteRunner current = new TfLiteRunner(newer); TfLite26Runner oldest = new TfLite26Runner(newer, 1)) {
      NamedTensors sample = InputGenerator.uniform(current.inputs(), 1, 3, 0, 1).get(0);
      float[] a = current.run(sample).asMap().values().iterator().next().values();
      float[] b = oldest.run(sample).asMap().values().iterator().next().values();
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertTrue(worst > 0.05, "2.6.2 gave the same outputs as 2.18 (max diff " + worst + "): the per-channel gate may be loosened");
    }
  }

  @Test
  void integerOnlyFailsListingEveryFloatOp() {
    Path model = SingleOpModels.export(dir.resolve("exp-div"), 5, new long[] {1, 4},
        (tf, x, w) -> tf.math.div(tf.math.exp(x), tf.math.add(tf.math.abs(x), tf.constant(1f))));
    QuantizationOptions options = new QuantizationOptions(true, IoType.FLOAT32, IoType.FLOAT32, Set.of(), List.of(), true,
        new CalibrationSettings(null, 8, 3, -1, 1));
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(
        ConversionRequest.of("expdiv", model, QuantizationMode.INT8, dir.resolve("expdiv.tflite")).withQuantization(QuantizationMode.INT8, options)));
    assertTrue(e.getMessage().contains("EXP (no int8 kernel") && e.getMessage().contains("DIV (no int8 kernel"), e.getMessage());
    assertTrue(!e.getMessage().contains("ABS") && !e.getMessage().contains("ADD"), "ABS and ADD have int8 kernels: " + e.getMessage());
  }

  private static TensorT denseWeights(ModelT model) {
    return Arrays.stream(model.getSubgraphs()[0].getTensors())
        .filter(t -> t.getType() == org.tensorflow.lite.schema.TensorType.INT8 && t.getShape().length == 2 && t.getBuffer() > 0)
        .findFirst().orElseThrow();
  }
}
