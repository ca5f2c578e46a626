package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.DilatedConvolution;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;

/**
 * Dilated convolutions in both forms a model can hold them: as Keras runs them (SpaceToBatchND → undilated VALID
 * convolution → BatchToSpaceND) and as one dilated Conv2D / DepthwiseConv2dNative node (tf.nn.conv2d with dilations).
 * Either way the file must hold one dilated CONV_2D / DEPTHWISE_CONV_2D with the right padding and no
 * SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND (as the official converter writes them), and match TensorFlow on the same
 * graph; SAME and VALID, dilation 2 and 3, odd input sizes (so the end padding and crops are not zero). TensorFlow
 * runs the dilated-node form as the converter's frozen graph, where it is in the SpaceToBatchND form (its plain CPU
 * kernels, used without oneDNN, refuse dilations).
 */
class DilatedConvolutionTest {
  @TempDir
  Path dir;

  record Case(boolean depthwise, boolean spaceToBatchForm, String padding, int dilation, long[] input) {
    @Override
    public String toString() {
      return (depthwise ? "DepthwiseConv2D" : "Conv2D") + " " + padding + " dilation " + dilation + " on " + input[1] + "x" + input[2]
          + (spaceToBatchForm ? " (SpaceToBatchND form)" : " (dilated node)");
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (boolean depthwise : new boolean[] {false, true}) {
      for (String padding : List.of("SAME", "VALID")) {
        for (int dilation : new int[] {2, 3}) {
          cases.add(new Case(depthwise, true, padding, dilation, new long[] {1, 11, 13, 3}));
        }
      }
      cases.add(new Case(depthwise, false, "SAME", 3, new long[] {1, 10, 7, 3}));
      cases.add(new Case(depthwise, false, "VALID", 2, new long[] {1, 9, 12, 3}));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void foldsIntoOneDilatedConvolutionThatMatchesTensorFlow(Case c) {
    Path savedModel = SingleOpModels.export(dir.resolve("model"), 5, c.input(), (tf, x, w) -> {
      var filter = tf.constantOf(c.depthwise() ? w.uniform(0.5, 3, 3, 3, 2) : w.uniform(0.5, 3, 3, 3, 5));
      var strides = List.of(1L, 1L, 1L, 1L);
      var dilations = List.of(1L, (long) c.dilation(), (long) c.dilation(), 1L);
      if (c.spaceToBatchForm()) {
        return c.depthwise() ? DilatedConvolution.depthwise(tf, x, filter, c.dilation(), c.padding())
            : DilatedConvolution.conv2d(tf, x, filter, c.dilation(), c.padding());
      }
      return c.depthwise() ? tf.nn.depthwiseConv2dNative(x, filter, strides, c.padding(), DepthwiseConv2dNative.dilations(dilations))
          : tf.nn.conv2d(x, filter, strides, c.padding(), Conv2d.dilations(dilations));
    });
    Path tflite = dir.resolve("dilated.tflite");
    Path work = dir.resolve("work");
    Tflite.convert(savedModel, QuantizationMode.NONE, tflite, work);

    String op = c.depthwise() ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    assertEquals(Map.of(op, 1), Tflite.opCounts(tflite), "one dilated convolution and nothing else (official census)");
    OperatorT conv = Tflite.read(tflite).getSubgraphs()[0].getOperators()[0];
    Object options = conv.getBuiltinOptions().getValue();
    int[] dilation = options instanceof Conv2DOptionsT o ? new int[] {o.getDilationHFactor(), o.getDilationWFactor(), o.getPadding()}
        : new int[] {((DepthwiseConv2DOptionsT) options).getDilationHFactor(), ((DepthwiseConv2DOptionsT) options).getDilationWFactor(),
            ((DepthwiseConv2DOptionsT) options).getPadding()};
    assertEquals(c.dilation(), dilation[0]);
    assertEquals(c.dilation(), dilation[1]);
    assertEquals(c.padding().equals("SAME") ? Padding.SAME : Padding.VALID, dilation[2]);
    if (c.depthwise()) {
      assertEquals(2, Tflite.opVersions(tflite).get(op), "dilated float depthwise convolution is version 2");
    }

    ValidationReport report = Tflite.validate(savedModel, tflite, Tflite.unbounded(), -1, 1, work);
    FloatBound.assertMatches(report, tflite, c.toString());
  }

  /**
   * Without the converter's work directory the original runs as it is: with oneDNN (AVX-512, or TF_ENABLE_ONEDNN_OPTS=1)
   * it validates, without it TensorFlow refuses the dilation and the error says how to validate instead.
   */
  @Test
  void aDilatedNodeWithoutTheWorkDirectoryValidatesOrSaysWhatToDo() {
    Path savedModel = SingleOpModels.export(dir.resolve("plain"), 6, new long[] {1, 9, 9, 3}, (tf, x, w) -> tf.nn.conv2d(x,
        tf.constantOf(w.uniform(0.5, 3, 3, 3, 4)), List.of(1L, 1L, 1L, 1L), "SAME", Conv2d.dilations(List.of(1L, 2L, 2L, 1L))));
    Path tflite = dir.resolve("plain.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, tflite);
    try {
      ValidationReport report = Tflite.validate(savedModel, tflite, Tflite.unbounded(), -1, 1);
      FloatBound.assertMatches(report, tflite, "dilated node, original run directly");
    } catch (ValidationException e) {
      assertTrue(e.getMessage().contains("dilated convolutions") && e.getMessage().contains("work directory"), e.getMessage());
    }
  }
}
