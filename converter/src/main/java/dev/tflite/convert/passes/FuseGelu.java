package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * GELU's tanh approximation {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, as tf.nn.gelu(approximate=True)
 * and Keras write it (the cube as POW(x, 3), x * x * x or x * square(x); the constants in any grouping of the
 * products), becomes one GELU with {@code approximate} set. GELU is registered from TensorFlow Lite 2.9, so the
 * pipeline runs this pass only for such a target; older targets keep the decomposition, which is exact in float.
 * Guards: intermediates read by the pattern alone and no graph outputs, the result of x's shape.
 */
final class FuseGelu extends ProductPatternPass {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double CUBIC = 0.044715;

  FuseGelu() {
    super(0.5);
  }

  @Override
  Operator fuse(Graph graph, Operator root, Products product, Tensor x, Tensor other, Set<Operator> matched) {
    return isOnePlusTanh(graph, other, x, matched)
        ? new Operator(OpType.GELU, List.of(x), List.of(root.output(0)), new OpOptions.Gelu(true), root.origin()) : null;
  }

  /** 1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)). */
  private static boolean isOnePlusTanh(Graph graph, Tensor t, Tensor x, Set<Operator> chain) {
    Operator onePlus = Patterns.exclusiveProducer(graph, t, Set.of(OpType.ADD));
    Tensor tanhOut = onePlus == null || onePlus.options(OpOptions.Add.class).activation() != Activation.NONE ? null : besidesScalar(onePlus, 1f);
    Operator tanh = tanhOut == null ? null : Patterns.exclusiveProducer(graph, tanhOut, Set.of(OpType.TANH));
    if (tanh == null || Patterns.exclusiveProducer(graph, tanh.input(0), Set.of(OpType.MUL, OpType.DIV)) == null) {
      return false;
    }
    Products scaled = Products.of(graph, tanh.input(0));
    if (scaled.factors().size() != 1 || !scaled.constantIs(SQRT_2_OVER_PI)) {
      return false;
    }
    Operator sum = Patterns.exclusiveProducer(graph, scaled.factors().get(0), Set.of(OpType.ADD));
    if (sum == null || sum.options(OpOptions.Add.class).activation() != Activation.NONE) {
      return false;
    }
    Tensor cubic = sum.input(0) == x ? sum.input(1) : sum.input(1) == x ? sum.input(0) : null;
    Set<Operator> cubeOps = cubicOps(graph, cubic, x);
    if (cubeOps == null) {
      return false;
    }
    chain.addAll(Set.of(onePlus, tanh, sum));
    chain.addAll(scaled.ops());
    chain.addAll(cubeOps);
    return true;
  }

  /** The ops of 0.044715 * x^3 (x^3 as POW(x, 3), x * x * x or x * square(x)), null when {@code t} is not that. */
  private static Set<Operator> cubicOps(Graph graph, Tensor t, Tensor x) {
    if (t == null || Patterns.exclusiveProducer(graph, t, Set.of(OpType.MUL, OpType.DIV)) == null) {
      return null;
    }
    Products p = Products.of(graph, t);
    if (!p.constantIs(CUBIC)) {
      return null;
    }
    Set<Operator> ops = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    ops.addAll(p.ops());
    if (p.besides(x, 3) != null && p.besides(x, 3).isEmpty()) {
      return ops;
    }
    List<Tensor> rest = p.besides(x, 1);
    if (rest != null && rest.size() == 1) {
      Operator square = Patterns.exclusiveProducer(graph, rest.get(0), Set.of(OpType.SQUARE));
      if (square != null && square.input(0) == x) {
        ops.add(square);
        return ops;
      }
    }
    if (p.factors().size() == 1) {
      Operator pow = Patterns.exclusiveProducer(graph, p.factors().get(0), Set.of(OpType.POW));
      if (pow != null && pow.input(0) == x && Float.valueOf(3f).equals(Products.scalar(pow.input(1)))) {
        ops.add(pow);
        return ops;
      }
    }
    return null;
  }

  private static Tensor besidesScalar(Operator op, float value) {
    for (int side = 0; side < 2; side++) {
      if (Float.valueOf(value).equals(Products.scalar(op.input(1 - side))) && Arrays.equals(op.input(side).shape(), op.output(0).shape())) {
        return op.input(side);
      }
    }
    return null;
  }
}
