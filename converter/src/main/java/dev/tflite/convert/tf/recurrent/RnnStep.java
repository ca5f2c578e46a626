package dev.tflite.convert.tf.recurrent;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * One simple-RNN step written as plain ops (a Keras SimpleRNN's loop unrolled, a {@code tf.while_loop} recurrence
 * written by hand): {@code h = g(Σ operand · W + b)} with g one of the activations the fused RNN kernel applies.
 *
 * @param h the step's output (the activation's)
 * @param activation g, a Keras name
 * @param products the matrix products summed before it
 * @param bias the constants summed before it, [units]
 * @param units the state width
 * @param nodes the names of every node of the step
 * @param firstReader the activation node
 * @param preActivations what it reads
 */
record RnnStep(String h, String activation, List<PreActivations.Product> products, float[] bias, int units, Set<String> nodes, String firstReader,
    String preActivations) implements RecurrentStep {
  private static final Map<String, String> ACTIVATIONS = Map.of("Tanh", "tanh", "Relu", "relu", "Relu6", "relu6");

  @Override
  public int gateCount() {
    return 1;
  }

  @Override
  public int[] chunkOf() {
    return new int[] {0};
  }

  /** The step whose output {@code activation} computes, or null when its input is not a sum of products and constants. */
  static RnnStep match(GraphIndex g, NodeDef activation) {
    String function = ACTIVATIONS.get(activation.getOp());
    if (function == null) {
      return null;
    }
    String z = GraphIndex.input(activation, 0);
    Set<String> nodes = new HashSet<>();
    nodes.add(activation.getName());
    PreActivations sum = g.soleConsumer(z) == activation ? PreActivations.of(g, z, nodes) : null;
    if (sum == null) {
      return null;
    }
    return new RnnStep(activation.getName() + ":0", function, sum.products(), sum.bias(), sum.width(), nodes, activation.getName(), z);
  }
}
