package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Drops operators whose results nobody reads and tensors no live operator touches. */
public final class DeadCodeElimination implements Pass {
  @Override
  public void run(Graph graph) {
    Set<Tensor> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(graph.outputs().values());
    live.addAll(graph.inputs().values());
    Set<Operator> dead = new HashSet<>();
    List<Operator> reversed = new ArrayList<>(graph.operators());
    Collections.reverse(reversed);
    for (Operator op : reversed) {
      if (op.outputs().stream().anyMatch(live::contains)) {
        op.inputs().stream().filter(t -> t != null).forEach(live::add);
        live.addAll(op.outputs());
        live.addAll(op.intermediates());
      } else {
        dead.add(op);
      }
    }
    graph.removeOperators(dead);
    graph.retainTensors(live);
  }
}
