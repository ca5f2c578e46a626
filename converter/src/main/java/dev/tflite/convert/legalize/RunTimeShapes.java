package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether a legalized graph uses every shape it computes at run time. A legalization that wrote its operand from the
 * shape inferred at batch 1 instead of reading the computed one leaves the SHAPE behind it unread, and the file would
 * be wrong once resized: the converter then writes the model at its concrete shapes instead.
 */
public final class RunTimeShapes {
  private RunTimeShapes() {}

  public static boolean allRead(Graph graph) {
    Set<Operator> live = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Tensor> work = new ArrayDeque<>(graph.outputs().values());
    while (!work.isEmpty()) {
      Operator producer = graph.producer(work.poll());
      if (producer != null && live.add(producer)) {
        producer.inputs().stream().filter(t -> t != null).forEach(work::add);
      }
    }
    // a fused op's lowered form is dead by design, and so are the shapes only it read (an unrolled layer's zero states)
    Set<Operator> replaced = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Tensor> lowered = new ArrayDeque<>(graph.replacedLowerings());
    while (!lowered.isEmpty()) {
      Operator producer = graph.producer(lowered.poll());
      if (producer != null && !live.contains(producer) && replaced.add(producer)) {
        producer.inputs().stream().filter(t -> t != null).forEach(lowered::add);
      }
    }
    return graph.operators().stream().filter(op -> op.type() == OpType.SHAPE || op.type() == OpType.RANGE)
        .allMatch(op -> live.contains(op) || replaced.contains(op));
  }
}
