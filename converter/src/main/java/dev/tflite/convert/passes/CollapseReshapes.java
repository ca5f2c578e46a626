package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A RESHAPE of a RESHAPE whose result nothing else reads is one RESHAPE of the first input (the target does not depend
 * on the input's shape); a RESHAPE to the shape its input already has, dynamic dimensions included, is removed.
 */
final class CollapseReshapes implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator reshape : List.copyOf(graph.operators())) {
      if (reshape.type() != OpType.RESHAPE) {
        continue;
      }
      Operator inner = Patterns.exclusiveProducer(graph, reshape.input(0), Set.of(OpType.RESHAPE));
      if (inner != null) {
        reshape.setInput(0, inner.input(0));
        graph.removeOperators(Set.of(inner));
        changed = true;
      }
      changed |= removeIfIdentity(graph, reshape);
    }
    return changed;
  }

  /** Removes {@code reshape} (or any op whose output is its first input unchanged) when its output has its input's shape. */
  static boolean removeIfIdentity(Graph graph, Operator reshape) {
    Tensor in = reshape.input(0);
    Tensor out = reshape.output(0);
    if (in.type() != out.type() || !Arrays.equals(in.shape(), out.shape()) || !Arrays.equals(in.dynamicDims(), out.dynamicDims())) {
      return false;
    }
    return Patterns.bypass(graph, reshape, in);
  }
}
