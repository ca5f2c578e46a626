package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.DilatedConvolution;
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
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Every legalized op, one row each: a graph built with TensorFlow Java, converted, run in the TensorFlow Lite 2.6
 * interpreter and compared with TensorFlow on 16 seeded inputs. Float conversions must agree within {@link FloatBound}
 * (1e-5 scaled by the output's magnitude and the accumulation length; the reason is stated there); the rows also state
 * which TensorFlow Lite ops the file must contain (so a silently dropped op fails). The converter's work files are
 * kept, so a model with dilated convolutions runs as its frozen graph in the SpaceToBatchND form TensorFlow runs
 * without oneDNN.
 */
class OpConformanceTest {

  record Row(String name, long[] inputShape, SingleOpModels.Body body, Map<String, Integer> expectedOps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(coreRows(), ConformanceRows.more(), VolumeAndPatternRows.rows(), ConformanceRows.runTimeShapes()).flatMap(s -> s);
  }

  static Stream<Row> coreRows() {
    long[] nhwc = {1, 9, 9, 4};
    return Stream.of(
        new Row("Conv2D SAME stride 1", nhwc, (tf, x, w) -> conv(tf, x, w, 1, "SAME", 1), Map.of("CONV_2D", 1)),
        new Row("Conv2D VALID stride 2", nhwc, (tf, x, w) -> conv(tf, x, w, 2, "VALID", 1), Map.of("CONV_2D", 1)),
        new Row("Conv2D SAME dilation 2", nhwc, (tf, x, w) -> conv(tf, x, w, 1, "SAME", 2), dilated("CONV_2D")),
        new Row("Conv2D dilation 2 SAME as Keras runs it (SpaceToBatchND form) → one dilated CONV_2D", nhwc,
            (tf, x, w) -> DilatedConvolution.conv2d(tf, x, tf.constantOf(w.uniform(0.5, 3, 3, 4, 6)), 2, "SAME"), dilated("CONV_2D")),
        new Row("DepthwiseConv2dNative dilation 3 VALID as Keras runs it (SpaceToBatchND form) → one DEPTHWISE_CONV_2D", nhwc,
            (tf, x, w) -> DilatedConvolution.depthwise(tf, x, tf.constantOf(w.uniform(0.5, 2, 2, 4, 2)), 3, "VALID"), dilated("DEPTHWISE_CONV_2D")),
        // paddings (1, 2) are neither SAME's (2, 2) nor VALID's for k=3, d=2: kept, where the official pass, which only looks at
        // paddings - crops, would fold it into a SAME convolution of the wrong alignment
        new Row("SpaceToBatchND → Conv2D → BatchToSpaceND with other paddings (not a dilated conv: kept)", nhwc, (tf, x, w) -> tf.batchToSpaceNd(
            tf.nn.conv2d(tf.spaceToBatchNd(x, tf.constant(new int[] {2, 2}), tf.constant(new int[][] {{1, 2}, {1, 2}})),
                tf.constantOf(w.uniform(0.5, 3, 3, 4, 6)), List.of(1L, 1L, 1L, 1L), "VALID"),
            tf.constant(new int[] {2, 2}), tf.constant(new int[][] {{0, 0}, {0, 0}})), Map.of("SPACE_TO_BATCH_ND", 1, "CONV_2D", 1, "BATCH_TO_SPACE_ND", 1)),
        new Row("SpaceToBatchND with paddings (SPACE_TO_BATCH_ND)", nhwc, (tf, x, w) -> tf.spaceToBatchNd(x, tf.constant(new int[] {2, 2}),
            tf.constant(new int[][] {{1, 0}, {0, 1}})), Map.of("SPACE_TO_BATCH_ND", 1)),
        new Row("BatchToSpaceND with crops (BATCH_TO_SPACE_ND)", new long[] {4, 5, 5, 3}, (tf, x, w) -> tf.batchToSpaceNd(x, tf.constant(new int[] {2, 2}),
            tf.constant(new int[][] {{1, 0}, {0, 1}})), Map.of("BATCH_TO_SPACE_ND", 1)),
        new Row("SpaceToBatchND → Relu → BatchToSpaceND (no convolution: kept as builtins)", nhwc, (tf, x, w) -> tf.batchToSpaceNd(
            tf.nn.relu(tf.spaceToBatchNd(x, tf.constant(new int[] {2, 2}), tf.constant(new int[][] {{0, 1}, {0, 1}}))), tf.constant(new int[] {2, 2}),
            tf.constant(new int[][] {{0, 1}, {0, 1}})), Map.of("SPACE_TO_BATCH_ND", 1, "RELU", 1, "BATCH_TO_SPACE_ND", 1)),
        new Row("Conv2D + BiasAdd + Relu fused", nhwc,
            (tf, x, w) -> tf.nn.relu(tf.nn.biasAdd(conv(tf, x, w, 1, "SAME", 1), tf.constantOf(w.uniform(0.5, 6)))), Map.of("CONV_2D", 1)),
        new Row("Conv2D + BiasAdd + Relu6 fused", nhwc,
            (tf, x, w) -> tf.nn.relu6(tf.nn.biasAdd(conv(tf, x, w, 1, "SAME", 1), tf.constantOf(w.uniform(0.5, 6)))), Map.of("CONV_2D", 1)),
        new Row("DepthwiseConv2dNative multiplier 2", nhwc, (tf, x, w) -> tf.nn.depthwiseConv2dNative(x, tf.constantOf(w.uniform(0.5, 3, 3, 4, 2)),
            List.of(1L, 1L, 1L, 1L), "SAME"), Map.of("DEPTHWISE_CONV_2D", 1)),
        new Row("DepthwiseConv2dNative VALID stride 2 dilation", nhwc, (tf, x, w) -> tf.nn.depthwiseConv2dNative(x,
            tf.constantOf(w.uniform(0.5, 2, 2, 4, 1)), List.of(1L, 1L, 1L, 1L), "VALID", DepthwiseConv2dNative.dilations(List.of(1L, 2L, 2L, 1L))),
            dilated("DEPTHWISE_CONV_2D")),
        new Row("Conv2D + FusedBatchNormV3 folded", nhwc, (tf, x, w) -> tf.nn.fusedBatchNorm(conv(tf, x, w, 1, "SAME", 1),
            tf.constantOf(w.range(0.5, 1.5, 6)), tf.constantOf(w.uniform(0.2, 6)), tf.constantOf(w.uniform(0.2, 6)),
            tf.constantOf(w.range(0.5, 2, 6)), FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(1e-3f)).y(), Map.of("CONV_2D", 1)),
        new Row("two Conv2D sharing a kernel, each + its own FusedBatchNormV3 folded", nhwc, (tf, x, w) -> {
          Operand<TFloat32> kernel = tf.constantOf(w.uniform(0.5, 3, 3, 4, 6)); // scaled in place only where nothing else reads it
          Operand<TFloat32> a = tf.nn.fusedBatchNorm(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), tf.constantOf(w.range(0.5, 1.5, 6)),
              tf.constantOf(w.uniform(0.2, 6)), tf.constantOf(w.uniform(0.2, 6)), tf.constantOf(w.range(0.5, 2, 6)),
              FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(1e-3f)).y();
          Operand<TFloat32> b = tf.nn.fusedBatchNorm(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), tf.constantOf(w.range(-2, -0.5, 6)),
              tf.constantOf(w.uniform(0.2, 6)), tf.constantOf(w.uniform(0.2, 6)), tf.constantOf(w.range(0.5, 2, 6)),
              FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(1e-3f)).y();
          return tf.math.add(a, b);
        }, Map.of("CONV_2D", 2, "ADD", 1)),
        new Row("FusedBatchNormV3 standalone", nhwc, (tf, x, w) -> tf.nn.fusedBatchNorm(x, tf.constantOf(w.range(0.5, 1.5, 4)),
            tf.constantOf(w.uniform(0.2, 4)), tf.constantOf(w.uniform(0.2, 4)), tf.constantOf(w.range(0.5, 2, 4)),
            FusedBatchNorm.isTraining(false)).y(), Map.of("MUL", 1, "ADD", 1)),
        new Row("MatMul", new long[] {1, 12}, (tf, x, w) -> tf.linalg.matMul(x, tf.constantOf(w.uniform(0.5, 12, 5))), Map.of("FULLY_CONNECTED", 1)),
        new Row("MatMul transpose_b + BiasAdd + Relu", new long[] {1, 12}, (tf, x, w) -> tf.nn.relu(tf.nn.biasAdd(
            tf.linalg.matMul(x, tf.constantOf(w.uniform(0.5, 5, 12)), MatMul.transposeB(true)), tf.constantOf(w.uniform(0.5, 5)))),
            Map.of("FULLY_CONNECTED", 1)),
        new Row("Add broadcast", nhwc, (tf, x, w) -> tf.math.add(x, tf.constantOf(w.uniform(1, 4))), Map.of("ADD", 1)),
        new Row("AddV2 of two activations", nhwc, (tf, x, w) -> tf.math.add(tf.nn.relu(x), tf.math.tanh(x)), Map.of("ADD", 1, "RELU", 1, "TANH", 1)),
        new Row("Sub", nhwc, (tf, x, w) -> tf.math.sub(x, tf.constantOf(w.uniform(1, 1, 1, 1, 4))), Map.of("SUB", 1)),
        new Row("Mul", nhwc, (tf, x, w) -> tf.math.mul(x, tf.math.sigmoid(x)), Map.of("MUL", 1, "LOGISTIC", 1)),
        new Row("Neg", nhwc, (tf, x, w) -> tf.math.neg(x), Map.of("NEG", 1)),
        new Row("Abs", nhwc, (tf, x, w) -> tf.math.abs(x), Map.of("ABS", 1)),
        new Row("Exp", nhwc, (tf, x, w) -> tf.math.exp(x), Map.of("EXP", 1)),
        new Row("Div", nhwc, (tf, x, w) -> tf.math.div(x, tf.math.add(tf.math.abs(x), tf.constant(0.5f))), Map.of("DIV", 1)),
        new Row("Maximum", nhwc, (tf, x, w) -> tf.math.maximum(x, tf.constantOf(w.uniform(1, 4))), Map.of("MAXIMUM", 1)),
        new Row("Minimum", nhwc, (tf, x, w) -> tf.math.minimum(x, tf.constantOf(w.uniform(1, 4))), Map.of("MINIMUM", 1)),
        new Row("Log", nhwc, (tf, x, w) -> tf.math.log(tf.math.add(tf.math.abs(x), tf.constant(0.1f))), Map.of("LOG", 1)),
        new Row("Sqrt", nhwc, (tf, x, w) -> tf.math.sqrt(tf.math.abs(x)), Map.of("SQRT", 1)),
        new Row("Rsqrt", nhwc, (tf, x, w) -> tf.math.rsqrt(tf.math.add(tf.math.abs(x), tf.constant(0.1f))), Map.of("RSQRT", 1)),
        new Row("Sum keep_dims", nhwc, (tf, x, w) -> tf.sum(x, tf.constant(new int[] {-1}), org.tensorflow.op.core.Sum.keepDims(true)),
            Map.of("SUM", 1)),
        new Row("Cast float32 -> int32 -> float32 (truncation toward zero)", nhwc, (tf, x, w) -> tf.dtypes.cast(
            tf.dtypes.cast(tf.math.mul(x, tf.constant(7f)), org.tensorflow.types.TInt32.class), TFloat32.class), Map.of("CAST", 2)),
        new Row("Slice (size -1 to the end)", nhwc, (tf, x, w) -> tf.slice(x, tf.constant(new int[] {0, 1, 2, 0}), tf.constant(new int[] {-1, 6, -1, 3})),
            Map.of("SLICE", 1)),
        new Row("ResizeBilinear half_pixel_centers", nhwc, (tf, x, w) -> tf.image.resizeBilinear(x, tf.constant(new int[] {14, 20}),
            org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true)), Map.of("RESIZE_BILINEAR", 1)),
        new Row("ResizeBilinear align_corners", nhwc, (tf, x, w) -> tf.image.resizeBilinear(x, tf.constant(new int[] {5, 17}),
            org.tensorflow.op.image.ResizeBilinear.alignCorners(true)), Map.of("RESIZE_BILINEAR", 1)),
        new Row("Erf (no 2.6 builtin: approximation, error < 1.5e-7)", nhwc, (tf, x, w) -> tf.math.erf(tf.math.mul(x, tf.constant(1.7f))),
            Map.of("EXP", 1, "ABS", 1)),
        new Row("Relu", nhwc, (tf, x, w) -> tf.nn.relu(x), Map.of("RELU", 1)),
        new Row("Relu6", nhwc, (tf, x, w) -> tf.nn.relu6(tf.math.mul(x, tf.constant(8f))), Map.of("RELU6", 0, "MUL", 1)),
        new Row("Sigmoid", nhwc, (tf, x, w) -> tf.math.sigmoid(x), Map.of("LOGISTIC", 1)),
        new Row("Tanh", nhwc, (tf, x, w) -> tf.math.tanh(x), Map.of("TANH", 1)),
        new Row("Softmax", new long[] {1, 10}, (tf, x, w) -> tf.nn.softmax(tf.math.mul(x, tf.constant(4f))), Map.of("SOFTMAX", 1)),
        new Row("MaxPool SAME (V1)", nhwc, (tf, x, w) -> pool(tf, "MaxPool", x, 3, 2, "SAME"), Map.of("MAX_POOL_2D", 1)),
        new Row("MaxPool VALID (V2)", nhwc, (tf, x, w) -> tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID"),
            Map.of("MAX_POOL_2D", 1)),
        new Row("AvgPool SAME", nhwc, (tf, x, w) -> tf.nn.avgPool(x, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "SAME"), Map.of("AVERAGE_POOL_2D", 1)),
        new Row("Reshape", nhwc, (tf, x, w) -> tf.reshape(x, tf.constant(new int[] {1, -1})), Map.of("RESHAPE", 1)),
        new Row("Squeeze (written as RESHAPE, as the official converter does)", new long[] {1, 1, 1, 7}, (tf, x, w) -> tf.squeeze(x, Squeeze.axis(List.of(1L, 2L))),
            Map.of("SQUEEZE", 0, "RESHAPE", 1)),
        new Row("ConcatV2 with a constant", nhwc, (tf, x, w) -> tf.concat(List.of(x, tf.nn.relu(x), tf.constantOf(w.uniform(1, 1, 9, 9, 2))),
            tf.constant(-1)), Map.of("CONCATENATION", 1)),
        new Row("Mean keep_dims", nhwc, (tf, x, w) -> tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true)), Map.of("MEAN", 1)),
        new Row("Mean (global average pool)", nhwc, (tf, x, w) -> tf.math.mean(x, tf.constant(new int[] {1, 2})), Map.of("MEAN", 1)),
        new Row("Pad", nhwc, (tf, x, w) -> padV1(tf, x, tf.constant(new int[][] {{0, 0}, {1, 2}, {2, 1}, {0, 0}})), Map.of("PAD", 1)),
        new Row("PadV2 with a constant value", nhwc, (tf, x, w) -> tf.pad(x, tf.constant(new int[][] {{0, 0}, {1, 0}, {0, 1}, {0, 0}}), tf.constant(0.5f)),
            Map.of("PADV2", 1)),
        new Row("Identity chain", nhwc, (tf, x, w) -> tf.identity(tf.identity(tf.nn.relu(x))), Map.of("RELU", 1)),
        new Row("Keras PReLU pattern → PRELU", nhwc, (tf, x, w) -> prelu(tf, x, w), Map.of("PRELU", 1, "NEG", 0, "RELU", 0)),
        new Row("AddV2", nhwc, (tf, x, w) -> raw(tf, "AddV2", Map.of(), x, tf.constantOf(w.uniform(1, 9, 1, 4))), Map.of("ADD", 1)),
        new Row("RealDiv", nhwc, (tf, x, w) -> tf.math.realDiv(x, tf.constantOf(w.range(0.5, 2, 4))), Map.of("DIV", 1)),
        new Row("ExpandDims", nhwc, (tf, x, w) -> tf.expandDims(x, tf.constant(1)), Map.of("RESHAPE", 1)),
        new Row("Relu6 not fusable (after EXP)", nhwc, (tf, x, w) -> tf.nn.relu6(tf.math.exp(x)), Map.of("RELU6", 1, "EXP", 1)),
        new Row("GatherV2 on the width axis", nhwc, (tf, x, w) -> tf.gather(x, tf.constant(new int[] {2, 0, 8, 1}), tf.constant(2)), Map.of("GATHER", 1)),
        new Row("FakeQuantWithMinMaxArgs", nhwc, (tf, x, w) -> tf.quantization.fakeQuantWithMinMaxArgs(x,
            org.tensorflow.op.quantization.FakeQuantWithMinMaxArgs.min(-1.5f), org.tensorflow.op.quantization.FakeQuantWithMinMaxArgs.max(1.5f)),
            Map.of("FAKE_QUANT", 1)),
        new Row("FakeQuantWithMinMaxVars", nhwc, (tf, x, w) -> tf.quantization.fakeQuantWithMinMaxVars(x, tf.constant(-1f), tf.constant(1.75f)),
            Map.of("FAKE_QUANT", 1)),
        new Row("FusedBatchNorm (V1) standalone", nhwc, (tf, x, w) -> batchNorm(tf, "FusedBatchNorm", x, w), Map.of("MUL", 1, "ADD", 1)),
        new Row("FusedBatchNormV2 standalone", nhwc, (tf, x, w) -> batchNorm(tf, "FusedBatchNormV2", x, w), Map.of("MUL", 1, "ADD", 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void floatConversionMatchesTensorFlow(Row row, @TempDir Path dir) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 11, row.inputShape(), row.body());
    Path tflite = dir.resolve("op.tflite");
    ConversionResult result = Tflite.convert(savedModel, QuantizationMode.NONE, tflite, dir.resolve("work"));

    Map<String, Integer> ops = Tflite.opCounts(tflite);
    row.expectedOps().forEach((op, count) -> assertEquals(count, ops.getOrDefault(op, 0), op + " count in " + ops));
    assertEquals(result.opCounts().values().stream().mapToInt(Integer::intValue).sum(), ops.values().stream().mapToInt(Integer::intValue).sum());

    ValidationReport report = Tflite.validate(savedModel, tflite, Tflite.unbounded(), -2, 2, dir.resolve("work"));
    FloatBound.assertMatches(report, tflite, row.name());
    assertResizes(row, tflite, report);
  }

  /** A row with a dynamic batch writes it as -1 and was validated at batch 1 and 4 (not folded at batch 1). */
  static void assertResizes(Row row, Path tflite, ValidationReport report) {
    if (java.util.Arrays.stream(row.inputShape()).anyMatch(d -> d < 0)) {
      assertEquals(-1, Tflite.inputShapeSignature(tflite)[0], row.name() + ": the batch stays dynamic");
      assertEquals(List.of(1, 4), report.batchSizes(), row.name());
    }
  }

  /** One convolution and none of the SpaceToBatchND wrapping left in the file (the official converter's census). */
  static Map<String, Integer> dilated(String convolution) {
    return Map.of(convolution, 1, "SPACE_TO_BATCH_ND", 0, "BATCH_TO_SPACE_ND", 0);
  }

  static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, SeededWeights w, long stride, String padding, long dilation) {
    return tf.nn.conv2d(x, tf.constantOf(w.uniform(0.5, 3, 3, 4, 6)), List.of(1L, stride, stride, 1L), padding,
        Conv2d.dilations(List.of(1L, dilation, dilation, 1L)));
  }

  /** The V1 pooling ops TensorFlow Java's API does not emit (it emits MaxPoolV2). */
  static Operand<TFloat32> pool(Ops tf, String type, Operand<TFloat32> x, long k, long s, String padding) {
    return tf.scope().env().opBuilder(type, tf.scope().makeOpName(type), tf.scope())
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, k, k, 1})
        .setAttr("strides", new long[] {1, s, s, 1})
        .setAttr("padding", padding)
        .setAttr("T", org.tensorflow.proto.DataType.DT_FLOAT)
        .build().output(0);
  }

  /** Pad (V1); TensorFlow Java's API emits PadV2. */
  static Operand<TFloat32> padV1(Ops tf, Operand<TFloat32> x, Operand<?> paddings) {
    return tf.scope().env().opBuilder("Pad", tf.scope().makeOpName("Pad"), tf.scope())
        .addInput(x.asOutput())
        .addInput(paddings.asOutput())
        .build().output(0);
  }

  /** A TensorFlow op by name, for ops or op versions TensorFlow Java's API does not emit; type attributes follow the inputs. */
  @SuppressWarnings("unchecked")
  static <T extends org.tensorflow.types.family.TType> Operand<T> raw(Ops tf, String type, Map<String, Object> attrs, Operand<?>... inputs) {
    org.tensorflow.OperationBuilder b = tf.scope().env().opBuilder(type, tf.scope().makeOpName(type), tf.scope());
    for (Operand<?> in : inputs) {
      b.addInput(in.asOutput());
    }
    attrs.forEach((name, value) -> {
      if (value instanceof Boolean v) {
        b.setAttr(name, v);
      } else if (value instanceof Float v) {
        b.setAttr(name, v);
      } else if (value instanceof Long v) {
        b.setAttr(name, v);
      } else if (value instanceof String v) {
        b.setAttr(name, v);
      } else if (value instanceof long[] v) {
        b.setAttr(name, v);
      } else if (value instanceof org.tensorflow.proto.DataType v) {
        b.setAttr(name, v);
      } else {
        throw new IllegalArgumentException(name + ": " + value);
      }
    });
    return (Operand<T>) b.build().output(0);
  }

  /** The older batch-norm op versions, which TensorFlow Java's API does not emit. */
  static Operand<TFloat32> batchNorm(Ops tf, String type, Operand<TFloat32> x, SeededWeights w) {
    return raw(tf, type, Map.of("is_training", false, "epsilon", 1e-3f), x, tf.constantOf(w.range(0.5, 1.5, 4)), tf.constantOf(w.uniform(0.2, 4)),
        tf.constantOf(w.uniform(0.2, 4)), tf.constantOf(w.range(0.5, 2, 4)));
  }

  static Operand<TFloat32> prelu(Ops tf, Operand<TFloat32> x, SeededWeights w) {
    Operand<TFloat32> alpha = tf.constantOf(w.range(0.05, 0.4, 1, 1, 4));
    return tf.math.add(tf.nn.relu(x), tf.math.mul(tf.math.neg(alpha), tf.nn.relu(tf.math.neg(x))));
  }

}
