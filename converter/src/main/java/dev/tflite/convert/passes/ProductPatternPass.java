package dev.tflite.convert.passes;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Fuses a product {@code c · x · f(x)} rooted at a MUL (its constants in any grouping, see {@link Products}) into one op
 * of x: GELU in both forms and L2_NORMALIZATION are such products. A subclass says what c is and matches f(x); this
 * class walks the MULs, tries x on either side, and replaces the product and the matched ops by the fused op.
 */
abstract class ProductPatternPass implements Pass {
  private final double constant;

  ProductPatternPass(double constant) {
    this.constant = constant;
  }

  @Override
  public final void run(Graph graph) {
    for (Operator root : List.copyOf(graph.operators())) {
      if (root.type() == OpType.MUL && graph.operators().contains(root)) {
        tryFuse(graph, root);
      }
    }
  }

  private void tryFuse(Graph graph, Operator root) {
    Tensor out = root.output(0);
    Products p = Products.of(graph, out);
    if (p.factors().size() != 2 || !p.constantIs(constant)) {
      return;
    }
    for (int side = 0; side < 2; side++) {
      Tensor x = p.factors().get(side);
      if (x.type() != DType.FLOAT32 || !Arrays.equals(out.shape(), x.shape())) {
        continue;
      }
      Set<Operator> matched = Collections.newSetFromMap(new IdentityHashMap<>());
      Operator fused = fuse(graph, root, p, x, p.factors().get(1 - side), matched);
      if (fused != null) {
        Patterns.replaceWith(graph, root, fused, p.ops(), matched);
        return;
      }
    }
  }

  /**
   * The one op computing the product's result ({@code root}'s output) from {@code x} when {@code other} is this
   * pattern's f(x), with the ops of f(x) added to {@code matched}; null when it is not.
   */
  abstract Operator fuse(Graph graph, Operator root, Products product, Tensor x, Tensor other, Set<Operator> matched);
}
