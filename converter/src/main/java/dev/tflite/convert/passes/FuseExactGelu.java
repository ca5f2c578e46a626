package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Exact GELU, as TensorFlow 2.21 and Keras 3 write it ({@code 0.5 x erfc(-x / sqrt 2)}) and as tf.keras and this
 * converter's Keras importer write it ({@code 0.5 x (1 + erf(x / sqrt 2))}), becomes one GELU with {@code approximate}
 * false. The erf/erfc arrive decomposed by the legalization ({@link ErfCone} recognizes them by value); -x / sqrt 2 may be
 * x * (-1/sqrt 2) or neg(x) * (1/sqrt 2), the 0.5 in any grouping of the products. Like {@link FuseGelu} it runs only for
 * a target with GELU (2.9 and newer); for older ones the decomposition stays, exact in float. Guards: every intermediate
 * read by the pattern alone, no graph outputs among them, the result of x's shape.
 */
final class FuseExactGelu extends ProductPatternPass {
  private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

  FuseExactGelu() {
    super(0.5);
  }

  @Override
  Operator fuse(Graph graph, Operator root, Products product, Tensor x, Tensor other, Set<Operator> matched) {
    if (!readOnlyBy(graph, other, product.ops())) {
      return null;
    }
    return matchesErfcForm(graph, other, x, matched) || matchesErfForm(graph, other, x, matched)
        ? new Operator(OpType.GELU, List.of(x), List.of(root.output(0)), new OpOptions.Gelu(false), root.origin()) : null;
  }

  /** erfc(-x / sqrt 2). */
  private static boolean matchesErfcForm(Graph graph, Tensor t, Tensor x, Set<Operator> matched) {
    ErfCone cone = ErfCone.of(graph, t);
    return cone != null && cone.complement() && scaledX(graph, cone, x, -INV_SQRT_2, matched);
  }

  /** 1 + erf(x / sqrt 2). */
  private static boolean matchesErfForm(Graph graph, Tensor t, Tensor x, Set<Operator> matched) {
    Operator onePlus = Patterns.exclusiveProducer(graph, t, Set.of(OpType.ADD));
    if (onePlus == null || onePlus.options(OpOptions.Add.class).activation() != Activation.NONE) {
      return false;
    }
    for (int side = 0; side < 2; side++) {
      Tensor e = onePlus.input(side);
      if (Float.valueOf(1f).equals(Products.scalar(onePlus.input(1 - side))) && Arrays.equals(e.shape(), t.shape())
          && readOnlyBy(graph, e, Set.of(onePlus))) {
        ErfCone cone = ErfCone.of(graph, e);
        if (cone != null && !cone.complement() && scaledX(graph, cone, x, INV_SQRT_2, matched)) {
          matched.add(onePlus);
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the cone's argument is {@code factor * x} (or {@code -factor * neg(x)}), read by the cone alone; collects the ops. */
  private static boolean scaledX(Graph graph, ErfCone cone, Tensor x, double factor, Set<Operator> matched) {
    Tensor z = cone.argument();
    if (!readOnlyBy(graph, z, cone.ops()) || !Arrays.equals(z.shape(), x.shape())) {
      return false;
    }
    Products pz = Products.of(graph, z);
    if (pz.factors().size() != 1 || pz.ops().isEmpty()) {
      return false;
    }
    Tensor f = pz.factors().get(0);
    Set<Operator> ops = Collections.newSetFromMap(new IdentityHashMap<>());
    ops.addAll(pz.ops());
    if (f == x && pz.constantIs(factor)) {
      // z = x * factor
    } else {
      Operator neg = Patterns.exclusiveProducer(graph, f, Set.of(OpType.NEG));
      if (neg == null || neg.input(0) != x || !pz.constantIs(-factor)) {
        return false;
      }
      ops.add(neg);
    }
    matched.addAll(cone.ops());
    matched.addAll(ops);
    return true;
  }

  /** {@code t} is no graph output and every reader of it is among {@code readers}. */
  private static boolean readOnlyBy(Graph graph, Tensor t, Set<Operator> readers) {
    return !t.isConstant() && !graph.isGraphOutput(t) && readers.containsAll(graph.consumers(t));
  }
}
