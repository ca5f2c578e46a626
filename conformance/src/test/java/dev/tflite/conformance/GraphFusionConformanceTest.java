package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.SeededWeights;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * The graph optimizations on TensorFlow graphs (SavedModels built with TensorFlow Java): each row states the exact op
 * census the file must have, which is the official converter's for the same graph, and the converted file must match
 * TensorFlow within {@link FloatBound} (folding a batch norm only reorders the float32 products and sums). Rows where a
 * guard must keep an op say why.
 */
class GraphFusionConformanceTest {
  record Row(String name, long[] inputShape, SingleOpModels.Body body, Map<String, Integer> ops) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final long[] NHWC = {1, 9, 9, 4};

  static Stream<Row> rows() {
    return Stream.of(
        new Row("Conv2D -> BiasAdd -> FusedBatchNormV3 -> Relu: one CONV_2D (the Keras 2 block)", NHWC,
            (tf, x, w) -> tf.nn.relu(batchNorm(tf, w, tf.nn.biasAdd(conv(tf, x, w, 6), tf.constantOf(w.uniform(0.5, 6))), 6)), Map.of("CONV_2D", 1)),
        new Row("DepthwiseConv2dNative -> BiasAdd -> FusedBatchNormV3 -> Relu6: one DEPTHWISE_CONV_2D", NHWC,
            (tf, x, w) -> tf.nn.relu6(batchNorm(tf, w, tf.nn.biasAdd(tf.nn.depthwiseConv2dNative(x, tf.constantOf(w.uniform(0.5, 3, 3, 4, 2)),
                List.of(1L, 1L, 1L, 1L), "SAME"), tf.constantOf(w.uniform(0.5, 8))), 8)), Map.of("DEPTHWISE_CONV_2D", 1)),
        new Row("Conv2DBackpropInput -> BiasAdd -> FusedBatchNormV3: one TRANSPOSE_CONV with a bias input", NHWC,
            (tf, x, w) -> batchNorm(tf, w, tf.nn.biasAdd(tf.nn.conv2dBackpropInput(tf.constant(new int[] {1, 18, 18, 3}),
                tf.constantOf(w.uniform(0.5, 2, 2, 3, 4)), x, List.of(1L, 2L, 2L, 1L), "SAME"), tf.constantOf(w.uniform(0.5, 3))), 3),
            Map.of("TRANSPOSE_CONV", 1)),
        new Row("MatMul -> BiasAdd -> batch norm as Mul, Add (Keras BatchNormalization after Dense) -> Relu: one FULLY_CONNECTED",
            new long[] {2, 12}, (tf, x, w) -> tf.nn.relu(tf.math.add(tf.math.mul(tf.nn.biasAdd(tf.linalg.matMul(x, tf.constantOf(w.uniform(0.5, 12, 5))),
                tf.constantOf(w.uniform(0.5, 5))), tf.constantOf(w.range(0.5, 2, 5))), tf.constantOf(w.uniform(0.5, 5)))), Map.of("FULLY_CONNECTED", 1)),
        new Row("Conv2D * scalar / per-channel - per-channel: all folded into the weights and bias", NHWC,
            (tf, x, w) -> tf.math.sub(tf.math.div(tf.math.mul(conv(tf, x, w, 6), tf.constant(1.7f)), tf.constantOf(w.range(0.5, 2, 6))),
                tf.constantOf(w.uniform(0.5, 6))), Map.of("CONV_2D", 1)),
        new Row("residual Add -> Relu: ADD with fused RELU", NHWC,
            (tf, x, w) -> tf.nn.relu(tf.math.add(tf.nn.biasAdd(conv(tf, x, w, 4), tf.constantOf(w.uniform(0.5, 4))), x)), Map.of("CONV_2D", 1, "ADD", 1)),
        new Row("Sub -> Relu6 and Mul -> Relu: fused", NHWC,
            (tf, x, w) -> tf.math.add(tf.nn.relu6(tf.math.sub(x, tf.math.tanh(x))), tf.nn.relu(tf.math.mul(x, tf.math.sigmoid(x)))),
            Map.of("SUB", 1, "TANH", 1, "MUL", 1, "LOGISTIC", 1, "ADD", 1)),
        new Row("MaxPool -> Relu and AvgPool -> Relu6: fused into the pools", NHWC,
            (tf, x, w) -> tf.math.add(tf.nn.relu(OpConformanceTest.pool(tf, "MaxPool", x, 3, 2, "SAME")),
                tf.nn.relu6(tf.nn.avgPool(x, List.of(1L, 3L, 3L, 1L), List.of(1L, 2L, 2L, 1L), "SAME"))),
            Map.of("MAX_POOL_2D", 1, "AVERAGE_POOL_2D", 1, "ADD", 1)),
        new Row("two Conv1D (ExpandDims, Conv2D, Squeeze, BiasAdd, Relu): bias and relu reach the conv, Squeeze+ExpandDims vanish",
            new long[] {1, 10, 3}, (tf, x, w) -> {
              Operand<TFloat32> h = conv1d(tf, w, x, 3, 6);
              h = tf.nn.relu(tf.nn.biasAdd(h, tf.constantOf(w.uniform(0.5, 6))));
              return tf.nn.biasAdd(conv1d(tf, w, h, 6, 4), tf.constantOf(w.uniform(0.5, 4)));
            }, Map.of("RESHAPE", 2, "CONV_2D", 2)),
        new Row("Conv2D -> BiasAdd -> Minimum(Maximum(., -1), 1): CONV_2D with fused RELU_N1_TO_1", NHWC,
            (tf, x, w) -> tf.math.minimum(tf.math.maximum(tf.nn.biasAdd(conv(tf, x, w, 6), tf.constantOf(w.uniform(0.5, 6))), tf.constant(-1f)),
                tf.constant(1f)), Map.of("CONV_2D", 1)),
        new Row("Maximum(Add, 0): ADD with fused RELU", NHWC,
            (tf, x, w) -> tf.math.maximum(tf.math.add(x, tf.math.tanh(x)), tf.constant(0f)), Map.of("ADD", 1, "TANH", 1)),
        new Row("Reshape chain back to the input shape: no RESHAPE left", NHWC,
            (tf, x, w) -> tf.reshape(tf.reshape(tf.nn.relu(x), tf.constant(new int[] {1, -1})), tf.constant(new int[] {1, 9, 9, 4})), Map.of("RELU", 1)),
        new Row("ConcatV2 -> Relu: not fused (the CONCATENATION kernel refuses fused activations)", NHWC,
            (tf, x, w) -> tf.nn.relu(tf.concat(List.of(x, tf.math.neg(x)), tf.constant(-1))), Map.of("CONCATENATION", 1, "NEG", 1, "RELU", 1)),
        new Row("a BiasAdd result read twice: the batch-norm Mul stays (folding it would change the other read)", NHWC,
            (tf, x, w) -> {
              Operand<TFloat32> y = tf.nn.biasAdd(conv(tf, x, w, 6), tf.constantOf(w.uniform(0.5, 6)));
              return tf.math.add(tf.math.mul(y, tf.constantOf(w.range(0.5, 2, 6))), y);
            }, Map.of("CONV_2D", 1, "MUL", 1, "ADD", 1)),
        new Row("Conv2D -> Relu -> Mul: the Mul stays (a scale does not commute with the fused relu)", NHWC,
            (tf, x, w) -> tf.math.mul(tf.nn.relu(conv(tf, x, w, 6)), tf.constantOf(w.range(-2, 2, 6))), Map.of("CONV_2D", 1, "MUL", 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void optimizedGraphHasTheOfficialCensusAndMatchesTensorFlow(Row row, @TempDir Path dir) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 13, row.inputShape(), row.body());
    Path tflite = dir.resolve("graph.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, tflite);
    assertEquals(row.ops(), Tflite.opCounts(tflite));
    if (row.ops().containsKey("TRANSPOSE_CONV")) {
      assertEquals(3, Tflite.opVersions(tflite).get("TRANSPOSE_CONV"), "a TRANSPOSE_CONV with a bias input is version 3 (2.6.2 registers 1-3)");
    }
    ValidationReport report = Tflite.validate(savedModel, tflite, Tflite.unbounded(), -2, 2, dir.resolve("work"));
    FloatBound.assertMatches(report, tflite, row.name());
  }

  static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, SeededWeights w, long filters) {
    return tf.nn.conv2d(x, tf.constantOf(w.uniform(0.5, 3, 3, 4, filters)), List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /** Inference FusedBatchNormV3 with seeded statistics (scale, offset, mean, variance > 0). */
  static Operand<TFloat32> batchNorm(Ops tf, SeededWeights w, Operand<TFloat32> x, long channels) {
    return tf.nn.fusedBatchNorm(x, tf.constantOf(w.range(0.5, 1.5, channels)), tf.constantOf(w.uniform(0.2, channels)),
        tf.constantOf(w.uniform(0.2, channels)), tf.constantOf(w.range(0.5, 2, channels)), FusedBatchNorm.isTraining(false),
        FusedBatchNorm.epsilon(1e-3f)).y();
  }

  /** Keras' Conv1D as TensorFlow runs it: ExpandDims on axis 1, a 1xK Conv2D, Squeeze of axis 1. */
  static Operand<TFloat32> conv1d(Ops tf, SeededWeights w, Operand<TFloat32> x, long in, long out) {
    Operand<TFloat32> expanded = tf.expandDims(x, tf.constant(1));
    Operand<TFloat32> y = tf.nn.conv2d(expanded, tf.constantOf(w.uniform(0.5, 1, 3, in, out)), List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.squeeze(y, Squeeze.axis(List.of(1L)));
  }
}
