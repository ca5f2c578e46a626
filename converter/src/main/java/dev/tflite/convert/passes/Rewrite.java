package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;

/** A pass that says whether it changed the graph, so the pipeline can repeat a group of them until none applies. */
interface Rewrite extends Pass {
  /** Applies the rewrite wherever it matches; true when the graph changed. */
  boolean rewrite(Graph graph);

  @Override
  default void run(Graph graph) {
    rewrite(graph);
  }
}
