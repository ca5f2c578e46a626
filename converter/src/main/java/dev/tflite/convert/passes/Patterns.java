package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.List;
import java.util.Set;

/** Pattern-matching helpers with the single-consumer guard every fusion needs. */
final class Patterns {
  private Patterns() {}

  /** The producer of {@code t} if it is of {@code type} and {@code t} is read only by one operator (and is no graph output). */
  static Operator exclusiveProducer(Graph graph, Tensor t, Set<OpType> types) {
    if (t == null || t.isConstant() || graph.isGraphOutput(t)) {
      return null;
    }
    Operator producer = graph.producer(t);
    if (producer == null || !types.contains(producer.type())) {
      return null;
    }
    List<Operator> consumers = graph.consumers(t);
    return consumers.size() == 1 ? producer : null;
  }

  /** A rewrite of a binary op given which operand plays which role; true when it changed the graph. */
  @FunctionalInterface
  interface BinaryRewrite {
    boolean apply(Operator op, Tensor operand, Tensor other);
  }

  /**
   * Offers every binary op of {@code type} without a fused activation to {@code rewrite}, once per operand order,
   * until one order rewrites it.
   */
  static void forEachBinary(Graph graph, OpType type, BinaryRewrite rewrite) {
    for (Operator op : List.copyOf(graph.operators())) {
      if (op.type() != type || !(op.options() instanceof dev.tflite.convert.ir.OpOptions.WithActivation w)
          || w.activation() != dev.tflite.convert.ir.Activation.NONE) {
        continue;
      }
      for (int side = 0; side < 2; side++) {
        if (rewrite.apply(op, op.input(side), op.input(1 - side))) {
          break;
        }
      }
    }
  }

  /**
   * Puts {@code fused} in the place of {@code root} (the pattern's last op, so every operand of the fused op is computed
   * before it) and removes the pattern's other ops.
   */
  @SafeVarargs
  static void replaceWith(Graph graph, Operator root, Operator fused, Set<Operator>... patternOps) {
    graph.replaceOperator(root, fused);
    for (Set<Operator> ops : patternOps) {
      Set<Operator> others = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      others.addAll(ops);
      others.remove(root);
      graph.removeOperators(others);
    }
  }

  /**
   * Removes {@code op} and makes its output's readers read {@code replacement}, which computes the same; when that
   * output is a graph output (its name is in the signature), the op producing {@code replacement} writes it directly
   * instead. False, changing nothing, when that cannot be done (the replacement is itself an input or output).
   */
  static boolean bypass(Graph graph, Operator op, Tensor replacement) {
    Tensor out = op.output(0);
    if (!graph.isGraphOutput(out)) {
      graph.removeOperators(Set.of(op));
      graph.replaceUses(out, replacement);
      return true;
    }
    Operator producer = graph.producer(replacement);
    if (producer == null || graph.isGraphOutput(replacement) || graph.inputs().containsValue(replacement)) {
      return false;
    }
    graph.removeOperators(Set.of(op));
    producer.setOutput(producer.outputs().indexOf(replacement), out);
    graph.replaceUses(replacement, out);
    return true;
  }
}
