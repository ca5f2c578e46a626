package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import java.util.List;

/**
 * Rewrites that enable one another, repeated in order until a round changes nothing: a bias Add folded into a conv
 * lets the batch-norm Mul behind it fold too, a ReLU moved before a reshape can then fuse. Each rewrite removes or moves
 * an op towards the graph inputs, so the rounds end; the bound only guards against a rewrite that never settles.
 */
final class FixedPoint implements Pass {
  private static final int MAX_ROUNDS = 1000;

  private final List<Rewrite> rewrites;

  FixedPoint(List<Rewrite> rewrites) {
    this.rewrites = List.copyOf(rewrites);
  }

  @Override
  public void run(Graph graph) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean changed = false;
      for (Rewrite rewrite : rewrites) {
        changed |= rewrite.rewrite(graph);
      }
      if (!changed) {
        return;
      }
    }
    throw new IllegalStateException("graph rewrites did not settle after " + MAX_ROUNDS + " rounds");
  }
}
