package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.target.TargetRuntime;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The single-op patterns behind a dense layer (so dynamic-range and float16 have weights to quantize), in none,
 * dynamic-range and float16, against TensorFlow running the decomposed graph; int8 and int16x8 run the same patterns
 * in {@link IntegerOpsConformanceTest} ({@link VolumeAndPatternRows}). The census is the official converter's (TF
 * 2.21, same graphs): HARD_SWISH, L2_NORMALIZATION and, for a 2.18 target, GELU; we beat it on Keras'
 * UnitNormalization, which it leaves as five ops. For the default 2.6 target GELU stays decomposed (2.6 has no GELU),
 * where the official converter, which targets its own runtime, writes GELU.
 */
class PatternFusionConformanceTest {
  private static final TargetRuntime T26 = TargetRuntime.DEFAULT;
  private static final TargetRuntime T218 = TargetRuntime.parse("2.18");

  record Row(String name, SingleOpModels.Body pattern, TargetRuntime target, Map<String, Integer> ops) {
    @Override
    public String toString() {
      return name + " (target " + target.label() + ")";
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("x * relu6(x + 3) / 6 -> HARD_SWISH", (tf, x, w) -> tf.math.div(tf.math.mul(x, tf.nn.relu6(tf.math.add(x, tf.constant(3f)))),
            tf.constant(6f)), T26, Map.of("FULLY_CONNECTED", 1, "HARD_SWISH", 1)),
        new Row("tf.math.l2_normalize -> L2_NORMALIZATION", (tf, x, w) -> VolumeAndPatternRows.l2Normalize(tf, x, -1), T26,
            Map.of("FULLY_CONNECTED", 1, "L2_NORMALIZATION", 1)),
        new Row("Keras UnitNormalization -> L2_NORMALIZATION (official: five ops)", (tf, x, w) -> tf.math.mul(x, tf.math.minimum(tf.math.rsqrt(
            tf.sum(tf.math.square(x), tf.constant(new int[] {-1}), org.tensorflow.op.core.Sum.keepDims(true))), tf.constant(1e12f))), T26,
            Map.of("FULLY_CONNECTED", 1, "L2_NORMALIZATION", 1)),
        new Row("GELU tanh form stays decomposed", (tf, x, w) -> VolumeAndPatternRows.geluTanh(tf, x), T26,
            Map.of("FULLY_CONNECTED", 1, "TANH", 1, "POW", 1, "GELU", 0)),
        new Row("GELU tanh form -> GELU(approximate)", (tf, x, w) -> VolumeAndPatternRows.geluTanh(tf, x), T218,
            Map.of("FULLY_CONNECTED", 1, "GELU", 1, "TANH", 0)),
        // exact GELU: TensorFlow 2.21's tf.nn.gelu(approximate=False) and Keras 3 write 0.5x erfc(-x / sqrt 2), tf.keras
        // 0.5x (1 + erf(x / sqrt 2)); one GELU for 2.18 as the official converter writes, the decomposition for 2.6
        new Row("exact GELU erfc form stays decomposed", (tf, x, w) -> geluErfc(tf, x), T26, Map.of("FULLY_CONNECTED", 1, "EXP", 1, "GELU", 0)),
        new Row("exact GELU erfc form -> GELU (as official)", (tf, x, w) -> geluErfc(tf, x), T218,
            Map.of("FULLY_CONNECTED", 1, "GELU", 1, "EXP", 0)),
        new Row("exact GELU erf form -> GELU", (tf, x, w) -> tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(tf.constant(1f),
            tf.math.erf(tf.math.div(x, tf.constant((float) Math.sqrt(2)))))), T218, Map.of("FULLY_CONNECTED", 1, "GELU", 1, "EXP", 0)));
  }

  /** tf.nn.gelu(x, approximate=False) as TensorFlow 2.21 writes it: 0.5 x erfc(-x * (1/sqrt 2)). */
  private static Operand<TFloat32> geluErfc(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(tf.math.mul(tf.constant(0.5f), x), tf.math.erfc(tf.math.mul(tf.math.neg(x), tf.constant((float) (1 / Math.sqrt(2))))));
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    rows().forEach(row -> {
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16)) {
        all.add(Arguments.of(row, mode));
      }
    });
    return all.stream();
  }

  /** A 64 -> 32 dense layer (2048 weights: above dynamic-range's 1024-element threshold) feeding the pattern. */
  private static Operand<TFloat32> denseThen(Ops tf, Operand<TFloat32> x, dev.tflite.testmodels.SeededWeights w, SingleOpModels.Body pattern) {
    Operand<TFloat32> dense = tf.linalg.matMul(x, tf.constantOf(w.glorotUniform(64, 32, 64, 32)));
    return pattern.apply(tf, tf.math.mul(dense, tf.constant(3f)), w);
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void patternIsOneOpAndMatchesTensorFlow(Row row, QuantizationMode mode, @TempDir Path dir) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 17, new long[] {1, 64}, (tf, x, w) -> denseThen(tf, x, w, row.pattern()));
    Path tflite = dir.resolve("pattern.tflite");
    Tflite.convert(ConversionRequest.of("pattern", savedModel, mode, tflite).withTargetRuntime(row.target()));
    Map<String, Integer> census = Tflite.opCounts(tflite);
    row.ops().forEach((op, count) -> assertEquals(count, census.getOrDefault(op, 0), op + " in " + census));

    ValidationReport report = Tflite.validate(savedModel, tflite, Tflite.unbounded(), -1, 1);
    if (row.target().equals(T218)) {
      assertNull(report.runtimes().oldest(), "a 2.18 target is not run in 2.6.2 (GELU arrived in 2.9)");
    }
    OutputDrift y = report.outputs().get(0);
    double scale = Math.max(1, FloatBound.maxAbsReference(y));
    System.out.printf(java.util.Locale.ROOT, "pattern %-13s %-60s %s max abs %.3g cosine %.7f (max |ref| %.3g)%n", mode.configName(), row, census,
        y.maxAbsError(), y.cosineSimilarity(), FloatBound.maxAbsReference(y));
    switch (mode) {
      case NONE -> FloatBound.assertMatches(report, tflite, row.toString());
      // int8 weights per tensor: the dynamic-range test's limits (0.02 max abs relative to the output's magnitude,
      // cosine 0.9995), and some drift, or nothing was quantized
      case DYNAMIC_RANGE -> {
        assertTrue(y.maxAbsError() <= 0.02 * scale && y.cosineSimilarity() >= 0.9995, row + ": " + y);
        assertTrue(y.maxAbsError() > 1e-6, "int8 weights must move the output a little: " + y.maxAbsError());
      }
      // float16 weights round each weight by up to 2^-11 (4.9e-4) relative, which moves the output by about that
      // fraction of its magnitude (measured: 3.3e-4 of max |reference|); 5e-3 relative leaves ten times that
      case FLOAT16 -> assertTrue(y.maxAbsError() <= 5e-3 * scale && y.cosineSimilarity() >= 0.9999, row + ": " + y);
      default -> throw new AssertionError(mode);
    }
  }

  /**
   * Real Keras 3.15 files (fixtures/generated/keras-layers, numerics held to Keras' predictions in KerasRealNestedTest):
   * the census we write next to the official converter's for the same file (TF 2.21, from_keras_model).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "activation_hard_silu   | HARD_SWISH=1                  | official: HARD_SWISH=1 (the same)",
      "unit_normalization     | L2_NORMALIZATION=1            | official: SQUARE, SUM, RSQRT, MINIMUM, MUL (we write one op)",
      "conv3d                 | CONV_3D=1                     | official: CONV_3D, ADD (we fold the bias and the relu)",
      "conv3d_valid_dilated   | CONV_3D=1                     | official: refused (Keras' 3-D SpaceToBatchND form has no builtin)",
      "max_pooling3d          | MAX_POOL_2D=2, RESHAPE=3      | official: refused without the custom op MaxPool3D",
      "average_pooling3d_same | AVERAGE_POOL_2D=2, RESHAPE=3  | official: refused without the custom op AveragePool3D"})
  void kerasFileCensus(String fixture, String census, String official, @TempDir Path dir) {
    Path tflite = dir.resolve(fixture + ".tflite");
    Tflite.convert(Tflite.fixture("generated/keras-layers/" + fixture + ".keras"), QuantizationMode.NONE, tflite);
    Map<String, Integer> expected = new java.util.TreeMap<>();
    for (String entry : census.split(",\\s*")) {
      expected.put(entry.substring(0, entry.indexOf('=')), Integer.parseInt(entry.substring(entry.indexOf('=') + 1)));
    }
    assertEquals(expected, new java.util.TreeMap<>(Tflite.opCounts(tflite)), fixture + " (" + official + ")");
  }
}
