package dev.tflite.convert.passes;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A TRANSPOSE of a TRANSPOSE is one TRANSPOSE of the first input by the composed permutation, or nothing when that is
 * the identity: a time-major recurrent loop's output stacked and transposed back to batch-major around a fused sequence
 * op (TF1 dynamic_rnn, Keras' return_sequences) leaves such pairs. The inner one stays while anything else reads it.
 */
final class CollapseTransposes implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator outer : List.copyOf(graph.operators())) {
      if (outer.type() != OpType.TRANSPOSE || !graph.operators().contains(outer)) {
        continue;
      }
      Operator inner = graph.producer(outer.input(0));
      if (inner == null || inner.type() != OpType.TRANSPOSE || !inner.input(1).isConstant() || !outer.input(1).isConstant()) {
        continue;
      }
      int[] p = inner.input(1).data().ints();
      int[] q = outer.input(1).data().ints();
      if (p.length != q.length) {
        continue;
      }
      int[] composed = IntStream.range(0, q.length).map(i -> p[q[i]]).toArray();
      outer.setInput(0, inner.input(0));
      long[] perm = java.util.Arrays.stream(composed).asLongStream().toArray();
      outer.setInput(1, graph.newConstant(outer.output(0).name() + "/perm", ConstantLayouts.int32Vector(perm), outer.origin()));
      if (graph.consumers(inner.output(0)).isEmpty() && !graph.isGraphOutput(inner.output(0))) {
        graph.removeOperators(Set.of(inner));
      }
      if (IntStream.range(0, composed.length).allMatch(i -> composed[i] == i)) {
        CollapseReshapes.removeIfIdentity(graph, outer);
      }
      changed = true;
    }
    return changed;
  }
}
