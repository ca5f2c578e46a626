package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code x * relu6(x + 3) / 6}, in any grouping of its product ({@code x * relu6(x + 3) * (1/6)}, Keras'
 * {@code hard_swish}/{@code hard_silu} as {@code x * (relu6(x + 3) / 6)}, and the Keras importer's
 * {@code x * (relu6(x + 3) * (1/6))}), becomes one HARD_SWISH, as the official converter fuses it. Guards: every
 * intermediate has the pattern as its only reader and is no graph output, and the result has x's shape.
 */
final class FuseHardSwish implements Pass {
  @Override
  public void run(Graph graph) {
    for (Operator root : List.copyOf(graph.operators())) {
      if ((root.type() == OpType.MUL || root.type() == OpType.DIV) && graph.operators().contains(root)) {
        tryFuse(graph, root);
      }
    }
  }

  private static void tryFuse(Graph graph, Operator root) {
    Tensor out = root.output(0);
    Products p = Products.of(graph, out);
    if (p.factors().size() != 2 || !p.constantIs(1.0 / 6)) {
      return;
    }
    for (int side = 0; side < 2; side++) {
      Tensor x = p.factors().get(side);
      Tensor gate = p.factors().get(1 - side);
      Operator relu6 = Patterns.exclusiveProducer(graph, gate, Set.of(OpType.RELU6));
      Operator shift = relu6 == null ? null : Patterns.exclusiveProducer(graph, relu6.input(0), Set.of(OpType.ADD));
      if (shift == null || shift.options(OpOptions.Add.class).activation() != Activation.NONE || x.type() != DType.FLOAT32
          || !Arrays.equals(out.shape(), x.shape()) || !Arrays.equals(shift.output(0).shape(), x.shape())) {
        continue;
      }
      boolean plusThree = (shift.input(0) == x && Float.valueOf(3f).equals(Products.scalar(shift.input(1))))
          || (shift.input(1) == x && Float.valueOf(3f).equals(Products.scalar(shift.input(0))));
      if (plusThree) {
        Patterns.replaceWith(graph, root, new Operator(OpType.HARD_SWISH, List.of(x), List.of(out), new OpOptions.None(), root.origin()),
            p.ops(), Set.of(relu6, shift));
        return;
      }
    }
  }
}
