package dev.tflite.convert.tf;

import java.util.Map;

/** The TensorFlow-level pipeline between import and legalization. */
public final class GraphPreparation {
  private GraphPreparation() {}

  public static PreparedGraph prepare(TfGraph imported, Map<String, long[]> inputShapes) {
    TfGraph graph = IdentityRemoval.apply(imported);
    graph = InputShapes.apply(graph, inputShapes);
    PreparedGraph prepared = ConstantFolding.apply(graph);
    ConstantChecks.requireFiniteWeights(prepared);
    return prepared;
  }
}
