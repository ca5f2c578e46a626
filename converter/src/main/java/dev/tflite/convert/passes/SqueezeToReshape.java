package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.List;

/**
 * SQUEEZE becomes the RESHAPE to its output shape (as the official converter does), so squeeze / expand-dims / reshape
 * chains are all reshapes and collapse into one. Only where the output keeps the input's dynamic dimension (at most
 * one): a written target can hold one -1.
 */
final class SqueezeToReshape implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator squeeze : List.copyOf(graph.operators())) {
      if (squeeze.type() != OpType.SQUEEZE) {
        continue;
      }
      int dynamic = Reshapes.dynamicCount(squeeze.output(0));
      if (dynamic > 1 || dynamic != Reshapes.dynamicCount(squeeze.input(0))) {
        continue;
      }
      graph.replaceOperator(squeeze, Reshapes.reshape(graph, squeeze.input(0), squeeze.output(0), squeeze.origin()));
      changed = true;
    }
    return changed;
  }
}
