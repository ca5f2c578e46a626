package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.Set;

/** ADD(conv(x), c) with a per-output-channel constant c (BiasAdd, batch-norm shift) goes into the op's bias. */
final class FoldAddIntoBias implements Pass {
  @Override
  public void run(Graph graph) {
    Patterns.forEachBinary(graph, OpType.ADD, (add, operand, addend) -> {
      Operator producer = Patterns.exclusiveProducer(graph, operand, Patterns.WEIGHTED);
      if (producer == null || !addend.isConstant() || !fold(graph, producer, addend.data())) {
        return false;
      }
      producer.setOutput(0, add.output(0));
      graph.removeOperators(Set.of(add));
      return true;
    });
  }

  private static boolean fold(Graph graph, Operator op, TensorData addend) {
    Tensor bias = op.input(2);
    OpOptions.WithActivation options = (OpOptions.WithActivation) op.options();
    if (options.activation() != Activation.NONE || bias == null || !bias.isConstant()
        || !FoldScaleIntoWeights.isPerChannel(addend, bias.dim(0))) {
      return false;
    }
    float[] a = addend.floats();
    float[] b = bias.data().floats();
    for (int c = 0; c < b.length; c++) {
      b[c] += a.length == 1 ? a[0] : a[c];
    }
    op.setInput(2, graph.newConstant(bias.name(), TensorData.ofFloats(bias.shape(), b), bias.origin()));
    return true;
  }
}
