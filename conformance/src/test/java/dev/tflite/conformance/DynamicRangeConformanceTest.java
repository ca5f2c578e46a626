package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.OutputDrift;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Dynamic-range quantization of each op with a hybrid kernel, against TensorFlow: int8 weights (per channel for
 * convolutions, per tensor for dense layers), the op version the 2.6 runtime's hybrid kernel needs, and drift within
 * 0.02 max abs and 0.9995 cosine similarity on inputs in [-1, 1] — but not zero, which would mean nothing was quantized.
 */
class DynamicRangeConformanceTest {
  record Row(String name, long[] inputShape, SingleOpModels.Body body, String op, int version, int scales) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("Conv2D 3x3x16x32", new long[] {1, 8, 8, 16}, (tf, x, w) -> tf.nn.conv2d(x, tf.constantOf(w.glorotUniform(144, 288, 3, 3, 16, 32)),
            List.of(1L, 1L, 1L, 1L), "SAME"), "CONV_2D", 5, 32),
        new Row("DepthwiseConv2dNative 5x5x64", new long[] {1, 8, 8, 64}, (tf, x, w) -> tf.nn.depthwiseConv2dNative(x,
            tf.constantOf(w.glorotUniform(25, 25, 5, 5, 64, 1)), List.of(1L, 1L, 1L, 1L), "SAME"), "DEPTHWISE_CONV_2D", 6, 64),
        new Row("MatMul 64x32", new long[] {1, 64}, (tf, x, w) -> tf.linalg.matMul(x, tf.constantOf(w.glorotUniform(64, 32, 64, 32))),
            "FULLY_CONNECTED", 9, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void hybridOpMatchesTensorFlow(Row row, @TempDir Path dir) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 5, row.inputShape(), row.body());
    Path tflite = dir.resolve("dr.tflite");
    Tflite.convert(savedModel, QuantizationMode.DYNAMIC_RANGE, tflite);

    assertEquals(row.version(), Tflite.opVersions(tflite).get(row.op()), "hybrid kernel version of " + row.op());
    ModelT model = Tflite.read(tflite);
    TensorT weights = Arrays.stream(model.getSubgraphs()[0].getTensors()).filter(t -> t.getType() == TensorType.INT8).findFirst().orElseThrow();
    assertEquals(row.scales(), weights.getQuantization().getScale().length, "scales of " + weights.getName());

    OutputDrift y = Tflite.validate(savedModel, tflite, new Tolerance(0.02, null, null, 0.9995), -1, 1).outputs().get(0);
    assertTrue(y.passed(), row.name() + ": " + y);
    assertTrue(y.maxAbsError() > 1e-6, "int8 weights must change the output a little; drift " + y.maxAbsError() + " means nothing was quantized");
  }
}
