package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RELU / RELU6 / RELU_N1_TO_1 after an op whose kernel applies it in place becomes that op's fused activation, when the
 * op's output has no other reader. Which ops take which activation is the official converter's rule and the kernels'
 * contract: every fused activation is a clamp of the output range. So TANH is never fused (the float kernels would
 * ignore it, they only clamp), and CONCATENATION is never given one (its kernel refuses any fused activation).
 */
final class FuseActivation implements Rewrite {
  private static final Map<OpType, Activation> ACTIVATIONS = Map.of(OpType.RELU, Activation.RELU, OpType.RELU6, Activation.RELU6,
      OpType.RELU_N1_TO_1, Activation.RELU_N1_TO_1);

  /** Ops whose kernels apply a clamp activation to their output. */
  static final Set<OpType> FUSING = Set.of(OpType.CONV_2D, OpType.DEPTHWISE_CONV_2D, OpType.FULLY_CONNECTED, OpType.ADD, OpType.SUB,
      OpType.MUL, OpType.DIV, OpType.AVERAGE_POOL_2D, OpType.MAX_POOL_2D, OpType.CONV_3D);

  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator activation : List.copyOf(graph.operators())) {
      Activation fused = ACTIVATIONS.get(activation.type());
      if (fused == null || activation.input(0).type() != DType.FLOAT32) {
        continue;
      }
      Operator producer = Patterns.exclusiveProducer(graph, activation.input(0), FUSING);
      if (producer == null || !(producer.options() instanceof OpOptions.WithActivation options) || options.activation() != Activation.NONE) {
        continue;
      }
      producer.setOptions(options.withActivation(fused));
      producer.setOutput(0, activation.output(0));
      graph.removeOperators(Set.of(activation));
      changed = true;
    }
    return changed;
  }
}
