package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Recognizes the element-wise decomposition the legalization writes for Erf and Erfc (TensorFlow Lite 2.6 has neither):
 * the ops computing a tensor from one argument z and scalar constants alone, read by nothing outside them. Rather than
 * trusting the op layout, the cone is evaluated in double at points across [-2.5, 2.5] and must equal erf(z) or
 * erfc(z) there to the approximation's own accuracy (its error is below 1.5e-7), so any grouping of an equivalent
 * formula is recognized and nothing else is.
 */
record ErfCone(Tensor argument, Set<Operator> ops, boolean complement) {
  private static final Set<OpType> ELEMENTWISE = Set.of(OpType.ABS, OpType.MUL, OpType.ADD, OpType.SUB, OpType.DIV, OpType.NEG,
      OpType.EXP, OpType.MAXIMUM);
  private static final double[] POINTS = {-2.5, -1.7, -0.9, -0.35, -0.01, 0, 0.02, 0.4, 1.1, 1.9, 2.5};
  private static final int MAX_OPS = 40;

  /** The erf or erfc decomposition computing {@code t}, or null. */
  static ErfCone of(Graph graph, Tensor t) {
    Operator root = graph.producer(t);
    if (root == null || !ELEMENTWISE.contains(root.type())) {
      return null;
    }
    // the argument z is what the decomposition's one ABS reads: found breadth-first, nearest the root
    Operator abs = nearestAbs(graph, root);
    if (abs == null) {
      return null;
    }
    Tensor argument = abs.input(0);
    Set<Operator> cone = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Operator> pending = new ArrayDeque<>();
    // the cone: every op between z (and scalar constants) and t
    pending.add(root);
    while (!pending.isEmpty()) {
      Operator op = pending.pop();
      if (!cone.add(op)) {
        continue;
      }
      if (cone.size() > MAX_OPS || !ELEMENTWISE.contains(op.type()) || !noActivation(op)) {
        return null;
      }
      for (Tensor in : op.inputs()) {
        if (in.isConstant() && Products.scalar(in) == null) {
          return null;
        }
        if (!in.isConstant() && in != argument) {
          Operator producer = graph.producer(in);
          if (producer == null) {
            return null;
          }
          pending.add(producer);
        }
      }
    }
    for (Operator op : cone) {
      Tensor out = op.output(0);
      if (op != root && (graph.isGraphOutput(out) || !cone.containsAll(graph.consumers(out)))) {
        return null; // an intermediate read outside the decomposition
      }
    }
    boolean erf = true;
    boolean erfc = true;
    for (double z : POINTS) {
      double v = evaluate(t, argument, z, graph, new IdentityHashMap<>());
      double reference = erf(z);
      erf &= Math.abs(v - reference) <= 1e-6;
      erfc &= Math.abs(v - (1 - reference)) <= 1e-6;
    }
    return erf || erfc ? new ErfCone(argument, cone, erfc) : null;
  }

  private static Operator nearestAbs(Graph graph, Operator root) {
    Deque<Operator> pending = new ArrayDeque<>(java.util.List.of(root));
    Set<Operator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty() && seen.size() < MAX_OPS) {
      Operator op = pending.removeFirst();
      if (!seen.add(op)) {
        continue;
      }
      if (op.type() == OpType.ABS) {
        return op;
      }
      for (Tensor in : op.inputs()) {
        Operator producer = in == null || in.isConstant() ? null : graph.producer(in);
        if (producer != null) {
          pending.addLast(producer);
        }
      }
    }
    return null;
  }

  private static boolean noActivation(Operator op) {
    return !(op.options() instanceof OpOptions.WithActivation w) || w.activation() == Activation.NONE;
  }

  private static double evaluate(Tensor t, Tensor argument, double z, Graph graph, Map<Tensor, Double> memo) {
    if (t == argument) {
      return z;
    }
    if (t.isConstant()) {
      return Products.scalar(t);
    }
    Double known = memo.get(t);
    if (known != null) {
      return known;
    }
    Operator op = graph.producer(t);
    double a = evaluate(op.input(0), argument, z, graph, memo);
    double b = op.inputs().size() > 1 ? evaluate(op.input(1), argument, z, graph, memo) : 0;
    double v = switch (op.type()) {
      case ABS -> Math.abs(a);
      case NEG -> -a;
      case EXP -> Math.exp(a);
      case MUL -> a * b;
      case ADD -> a + b;
      case SUB -> a - b;
      case DIV -> a / b;
      case MAXIMUM -> Math.max(a, b);
      default -> Double.NaN;
    };
    memo.put(t, v);
    return v;
  }

  /** erf by its Maclaurin series, exact to double rounding for |z| <= 2.5 (the largest term is below 30). */
  static double erf(double z) {
    double term = z;
    double sum = z;
    for (int n = 1; n < 60; n++) {
      term *= -z * z / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
}
