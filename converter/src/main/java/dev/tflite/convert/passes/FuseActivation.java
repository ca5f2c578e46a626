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

/** RELU / RELU6 / RELU_N1_TO_1 after an op that can apply it in place becomes that op's fused activation. */
final class FuseActivation implements Pass {
  private static final Map<OpType, Activation> FUSABLE = Map.of(OpType.RELU, Activation.RELU, OpType.RELU6, Activation.RELU6);

  @Override
  public void run(Graph graph) {
    for (Operator activation : List.copyOf(graph.operators())) {
      Activation fused = FUSABLE.get(activation.type());
      if (fused == null || activation.input(0).type() != DType.FLOAT32) {
        continue;
      }
      Operator producer = graph.producer(activation.input(0));
      if (producer == null || !(producer.options() instanceof OpOptions.WithActivation options) || options.activation() != Activation.NONE
          || Patterns.exclusiveProducer(graph, activation.input(0), Set.of(producer.type())) == null) {
        continue;
      }
      producer.setOptions(options.withActivation(fused));
      producer.setOutput(0, activation.output(0));
      graph.removeOperators(Set.of(activation));
    }
  }
}
