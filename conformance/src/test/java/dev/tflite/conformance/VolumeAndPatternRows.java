package dev.tflite.conformance;

import dev.tflite.conformance.OpConformanceTest.Row;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/**
 * Conformance rows for volumetric ops (Conv3D, its transpose, 3-D pooling), matrix bands, and the patterns written as
 * single ops (HardSwish, L2 normalization; GELU's tanh form stays decomposed for the default 2.6 target, see
 * {@link PatternFusionConformanceTest} for 2.18). They run like every {@link OpConformanceTest} row: float against
 * TensorFlow, and int8/int16x8 in {@link IntegerOpsConformanceTest}. Each census is the official converter's (TF
 * 2.21) for the same graph except where a row says we beat it: the official converter refuses MaxPool3D and AvgPool3D
 * without custom ops (we write two builtin 2-D pools), leaves Conv3D + BiasAdd as CONV_3D + ADD (we fold the bias)
 * and leaves Keras' UnitNormalization as five ops (we write one L2_NORMALIZATION).
 */
final class VolumeAndPatternRows {
  private VolumeAndPatternRows() {}

  static Stream<Row> rows() {
    long[] ndhwc = {1, 5, 7, 8, 3};
    long[] nhwc = {1, 9, 9, 4};
    return Stream.of(
        new Row("Conv3D SAME stride 1 (CONV_3D)", ndhwc, (tf, x, w) -> tf.nn.conv3d(x, tf.constantOf(w.uniform(0.5, 3, 3, 3, 3, 5)),
            List.of(1L, 1L, 1L, 1L, 1L), "SAME"), Map.of("CONV_3D", 1)),
        new Row("Conv3D VALID stride 2 + BiasAdd + Relu: one CONV_3D (the official converter keeps the ADD)", ndhwc, (tf, x, w) -> tf.nn.relu(
            tf.nn.biasAdd(tf.nn.conv3d(x, tf.constantOf(w.uniform(0.5, 2, 3, 3, 3, 4)), List.of(1L, 2L, 2L, 2L, 1L), "VALID"),
                tf.constantOf(w.uniform(0.5, 4)))), Map.of("CONV_3D", 1, "ADD", 0, "RELU", 0)),
        new Row("Conv3D VALID dilation 1x2x2 as Keras runs it (3-D SpaceToBatchND form): one dilated CONV_3D (official: refused)", ndhwc,
            (tf, x, w) -> tf.batchToSpaceNd(tf.nn.conv3d(tf.spaceToBatchNd(x, tf.constant(new int[] {1, 2, 2}), tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 0}})),
                tf.constantOf(w.uniform(0.5, 2, 3, 3, 3, 4)), List.of(1L, 1L, 1L, 1L, 1L), "VALID"), tf.constant(new int[] {1, 2, 2}),
                tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 0}})), Map.of("CONV_3D", 1, "SPACE_TO_BATCH_ND", 0, "BATCH_TO_SPACE_ND", 0)),
        // TensorFlow's plain CPU Conv3D refuses dilations: the converter hands validation the SpaceToBatchND form
        new Row("Conv3D SAME dilation 1x2x2 (run by TensorFlow in its SpaceToBatchND form, written as one dilated CONV_3D)", ndhwc, (tf, x, w) -> tf.nn.conv3d(x, tf.constantOf(w.uniform(0.5, 2, 3, 3, 3, 4)),
            List.of(1L, 1L, 1L, 1L, 1L), "SAME", org.tensorflow.op.nn.Conv3d.dilations(List.of(1L, 1L, 2L, 2L, 1L))), Map.of("CONV_3D", 1, "SPACE_TO_BATCH_ND", 0)),
        new Row("Conv3DBackpropInputV2 stride 2 SAME (CONV_3D_TRANSPOSE)", new long[] {1, 3, 4, 4, 4}, (tf, x, w) -> tf.nn.conv3dBackpropInput(
            tf.constant(new int[] {1, 6, 8, 8, 3}), tf.constantOf(w.uniform(0.5, 2, 2, 2, 3, 4)), x, List.of(1L, 2L, 2L, 2L, 1L), "SAME"),
            Map.of("CONV_3D_TRANSPOSE", 1)),
        new Row("MaxPool3D SAME 2x2x2 stride 2 over odd sizes: two MAX_POOL_2D (the official converter needs a custom op)", ndhwc,
            (tf, x, w) -> tf.nn.maxPool3d(x, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 2L, 1L), "SAME"), Map.of("MAX_POOL_2D", 2, "RESHAPE", 3)),
        new Row("AvgPool3D SAME 3x3x3 stride 2, padding excluded from the count: two AVERAGE_POOL_2D (no custom op)", ndhwc,
            (tf, x, w) -> tf.nn.avgPool3d(x, List.of(1L, 3L, 3L, 3L, 1L), List.of(1L, 2L, 2L, 2L, 1L), "SAME"), Map.of("AVERAGE_POOL_2D", 2, "RESHAPE", 3)),
        new Row("AvgPool3D VALID 1x2x2 (no depth stage: one AVERAGE_POOL_2D)", ndhwc,
            (tf, x, w) -> tf.nn.avgPool3d(x, List.of(1L, 1L, 2L, 2L, 1L), List.of(1L, 1L, 2L, 2L, 1L), "VALID"), Map.of("AVERAGE_POOL_2D", 1, "RESHAPE", 2)),
        new Row("MatrixBandPart(x, 2, 1) of a computed x: MUL by a constant 0/1 mask", new long[] {2, 6, 5}, (tf, x, w) ->
            tf.linalg.bandPart(x, tf.constant(2L), tf.constant(1L)), Map.of("MUL", 1)),
        new Row("MatrixBandPart(ones, -1, 0), the causal mask, folded into the weights (FULLY_CONNECTED, as official)", new long[] {2, 6}, (tf, x, w) ->
            tf.linalg.matMul(x, tf.linalg.bandPart(tf.fill(tf.constant(new int[] {6, 6}), tf.constant(1f)), tf.constant(-1), tf.constant(0))),
            Map.of("FULLY_CONNECTED", 1, "MUL", 0)),
        new Row("MatrixDiagV2 (tf.linalg.diag's main diagonal): MATRIX_DIAG", new long[] {2, 3, 4}, (tf, x, w) -> tf.linalg.matrixDiag(x,
            tf.constant(0), tf.constant(-1), tf.constant(-1), tf.constant(0f)), Map.of("MATRIX_DIAG", 1)),
        new Row("MatrixDiagV3 (tf.linalg.diag in TensorFlow 2): MATRIX_DIAG", new long[] {2, 3, 4}, (tf, x, w) -> tf.linalg.matrixDiagV3(x,
            tf.constant(0), tf.constant(-1), tf.constant(4), tf.constant(0f)), Map.of("MATRIX_DIAG", 1)),
        new Row("HardSwish x * relu6(x + 3) / 6: one HARD_SWISH (as official)", nhwc, (tf, x, w) -> {
          Operand<TFloat32> z = tf.math.mul(x, tf.constant(2.5f));
          return tf.math.div(tf.math.mul(z, tf.nn.relu6(tf.math.add(z, tf.constant(3f)))), tf.constant(6f));
        }, Map.of("HARD_SWISH", 1, "MUL", 1)),
        new Row("Keras 3 hard_silu x * (relu6(x + 3) / 6): one HARD_SWISH (as official)", nhwc, (tf, x, w) -> {
          Operand<TFloat32> z = tf.math.mul(x, tf.constant(2.5f));
          return tf.math.mul(z, tf.math.div(tf.nn.relu6(tf.math.add(z, tf.constant(3f))), tf.constant(6f)));
        }, Map.of("HARD_SWISH", 1, "MUL", 1)),
        new Row("tf.math.l2_normalize over the last axis: one L2_NORMALIZATION (as official)", nhwc, (tf, x, w) -> l2Normalize(tf, x, -1),
            Map.of("L2_NORMALIZATION", 1)),
        new Row("Keras UnitNormalization x * min(rsqrt(sum(x*x)), 1e12): one L2_NORMALIZATION (official: five ops)", new long[] {3, 10}, (tf, x, w) ->
            tf.math.mul(x, tf.math.minimum(tf.math.rsqrt(tf.sum(tf.math.mul(x, x), tf.constant(new int[] {-1}), Sum.keepDims(true))), tf.constant(1e12f))),
            Map.of("L2_NORMALIZATION", 1)),
        new Row("tf.math.l2_normalize over axis 1: kept as five ops (the kernel normalizes the last axis only; as official)", nhwc, (tf, x, w) ->
            l2Normalize(tf, x, 1), Map.of("SQUARE", 1, "SUM", 1, "MAXIMUM", 1, "RSQRT", 1, "MUL", 1, "L2_NORMALIZATION", 0)),
        // the 1e12 cap is far outside the activations' range: int8 clamps it into MINIMUM's shared scale instead of
        // widening that scale to 1e12 (which left every normalized value at the zero point: 132 int8 steps off)
        new Row("Keras UnitNormalization over axis 1 x * min(rsqrt(sum(x*x, 1)), 1e12): kept as five ops (as official)", nhwc, (tf, x, w) ->
            tf.math.mul(x, tf.math.minimum(tf.math.rsqrt(tf.sum(tf.math.mul(x, x), tf.constant(new int[] {1}), Sum.keepDims(true))), tf.constant(1e12f))),
            Map.of("SUM", 1, "MINIMUM", 1, "RSQRT", 1, "L2_NORMALIZATION", 0)),
        new Row("GELU tanh approximation for the 2.6 target: decomposed (2.6 has no GELU)", nhwc, (tf, x, w) -> geluTanh(tf, x),
            Map.of("TANH", 1, "POW", 1, "GELU", 0)),
        new Row("Erfc (no builtin: the erf approximation's tail, error < 1.5e-7)", nhwc, (tf, x, w) -> tf.math.erfc(tf.math.mul(x, tf.constant(1.7f))),
            Map.of("EXP", 1, "ABS", 1)),
        new Row("exact GELU as TensorFlow 2.21 writes it, 0.5x erfc(-x / sqrt 2), for the 2.6 target: decomposed", nhwc, (tf, x, w) -> {
          Operand<TFloat32> z = tf.math.mul(x, tf.constant(2f));
          return tf.math.mul(tf.math.mul(tf.constant(0.5f), z), tf.math.erfc(tf.math.mul(tf.math.neg(z), tf.constant((float) (1 / Math.sqrt(2))))));
        }, Map.of("EXP", 1, "GELU", 0)));
  }

  /** tf.math.l2_normalize as TensorFlow writes it: x * rsqrt(max(sum(square(x), axis, keepdims), 1e-12)). */
  static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x, int axis) {
    Operand<TFloat32> sum = tf.sum(tf.math.square(x), tf.constant(new int[] {axis}), Sum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sum, tf.constant(1e-12f))));
  }

  /** tf.nn.gelu(x, approximate=True) as TensorFlow 2.21 writes it: 0.5x (1 + tanh(sqrt(2/pi) (x + 0.044715 pow(x, 3)))). */
  static Operand<TFloat32> geluTanh(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> cube = tf.math.mul(tf.constant(0.044715f), tf.math.pow(x, tf.constant(3f)));
    Operand<TFloat32> inner = tf.math.mul(tf.constant((float) Math.sqrt(2 / Math.PI)), tf.math.add(x, cube));
    return tf.math.mul(tf.math.mul(tf.constant(0.5f), x), tf.math.add(tf.constant(1f), tf.math.tanh(inner)));
  }
}
