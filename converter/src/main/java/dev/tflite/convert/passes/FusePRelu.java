package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.List;
import java.util.Set;

/**
 * Keras lowers PReLU to {@code relu(x) + c * relu(-x)} with the constant {@code c = -alpha}; this becomes one
 * {@code PRELU(x, alpha)}. Every intermediate must be read only by the pattern.
 */
final class FusePRelu implements Pass {
  @Override
  public void run(Graph graph) {
    Patterns.forEachBinary(graph, OpType.ADD, (add, positive, negative) -> tryFuse(graph, add, positive, negative));
  }

  private static boolean tryFuse(Graph graph, Operator add, Tensor positive, Tensor negative) {
    Operator relu = Patterns.exclusiveProducer(graph, positive, Set.of(OpType.RELU));
    Operator mul = Patterns.exclusiveProducer(graph, negative, Set.of(OpType.MUL));
    if (relu == null || mul == null || mul.options(OpOptions.Mul.class).activation() != Activation.NONE) {
      return false;
    }
    Tensor x = relu.input(0);
    for (int side = 0; side < 2; side++) {
      Tensor slope = mul.input(side);
      Operator negRelu = Patterns.exclusiveProducer(graph, mul.input(1 - side), Set.of(OpType.RELU));
      Operator neg = negRelu == null ? null : Patterns.exclusiveProducer(graph, negRelu.input(0), Set.of(OpType.NEG));
      if (neg != null && neg.input(0) == x && slope.isConstant() && slope.data().rank() <= x.rank()) {
        float[] alpha = slope.data().floats();
        for (int i = 0; i < alpha.length; i++) {
          alpha[i] = -alpha[i];
        }
        Tensor alphaTensor = graph.newConstant(add.origin() + "/alpha", TensorData.ofFloats(slope.data().shape(), alpha), slope.origin());
        Operator prelu = new Operator(OpType.PRELU, List.of(x, alphaTensor), List.of(add.output(0)), new OpOptions.None(), add.origin());
        graph.replaceOperator(add, prelu);
        graph.removeOperators(Set.of(relu, mul, negRelu, neg));
        return true;
      }
    }
    return false;
  }
}
