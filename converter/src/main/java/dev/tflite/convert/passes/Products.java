package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A tensor read as a product: the MUL and DIV-by-a-scalar ops that compute it, walked through intermediates that have
 * no other reader, give its non-constant factors (with multiplicity) and the product of its scalar constants. So
 * {@code x * relu6(x + 3) / 6}, {@code x * relu6(x + 3) * (1/6)} and {@code x * (relu6(x + 3) / 6)} all read as
 * factors {x, relu6(x + 3)} times 1/6, the way the pattern fusions compare them.
 */
record Products(List<Tensor> factors, double constant, Set<Operator> ops) {

  /** {@code t} as a product; {@code t} itself may have other readers (it is the value the fusion replaces). */
  static Products of(Graph graph, Tensor t) {
    List<Tensor> factors = new ArrayList<>();
    Set<Operator> ops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    double[] constant = {1};
    Operator root = graph.producer(t);
    if (isProduct(root)) {
      walkOperands(graph, root, factors, constant, ops);
    } else {
      factors.add(t);
    }
    return new Products(List.copyOf(factors), constant[0], ops);
  }

  private static void walk(Graph graph, Tensor t, List<Tensor> factors, double[] constant, Set<Operator> ops) {
    Float scalar = scalar(t);
    if (scalar != null) {
      constant[0] *= scalar;
      return;
    }
    Operator producer = Patterns.exclusiveProducer(graph, t, Set.of(OpType.MUL, OpType.DIV));
    if (isProduct(producer)) {
      walkOperands(graph, producer, factors, constant, ops);
    } else {
      factors.add(t);
    }
  }

  private static void walkOperands(Graph graph, Operator op, List<Tensor> factors, double[] constant, Set<Operator> ops) {
    ops.add(op);
    walk(graph, op.input(0), factors, constant, ops);
    if (op.type() == OpType.MUL) {
      walk(graph, op.input(1), factors, constant, ops);
    } else {
      constant[0] /= scalar(op.input(1));
    }
  }

  /** A float MUL without fused activation, or a DIV of that kind by a scalar constant. */
  private static boolean isProduct(Operator op) {
    if (op == null || op.output(0).type() != DType.FLOAT32 || !(op.options() instanceof OpOptions.WithActivation w)
        || w.activation() != Activation.NONE) {
      return false;
    }
    return op.type() == OpType.MUL || (op.type() == OpType.DIV && scalar(op.input(1)) != null);
  }

  /** The value of a float constant whose elements are all equal (a scalar however it is shaped), else null. */
  static Float scalar(Tensor t) {
    if (t == null || !t.isConstant() || t.type() != DType.FLOAT32) {
      return null;
    }
    float[] v = t.data().floats();
    if (v.length == 0) {
      return null;
    }
    for (float f : v) {
      if (Float.compare(f, v[0]) != 0) {
        return null;
      }
    }
    return v[0];
  }

  /** Whether the constants multiply to {@code expected} within float32 rounding of a few terms (relative 1e-5). */
  boolean constantIs(double expected) {
    return Math.abs(constant - expected) <= 1e-5 * Math.abs(expected);
  }

  /** The factors other than {@code x} when {@code x} occurs exactly {@code times} times; null otherwise. */
  List<Tensor> besides(Tensor x, int times) {
    List<Tensor> rest = new ArrayList<>();
    int seen = 0;
    for (Tensor f : factors) {
      if (f == x) {
        seen++;
      } else {
        rest.add(f);
      }
    }
    return seen == times ? rest : null;
  }
}
