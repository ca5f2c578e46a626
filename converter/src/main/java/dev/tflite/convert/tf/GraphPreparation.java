package dev.tflite.convert.tf;

import java.util.Map;

/** The TensorFlow-level pipeline between import and legalization. */
public final class GraphPreparation {
  private GraphPreparation() {}

  public static PreparedGraph prepare(TfGraph imported, Map<String, long[]> inputShapes) {
    TfGraph withoutIdentities = LstmBlockCells.lower(IdentityRemoval.apply(imported));
    TfGraph graph = InputShapes.apply(withoutIdentities, inputShapes);
    // before anything runs the graph in TensorFlow (folding, calibration, the reference behind the debug artifacts)
    TfGraph runnable = DilatedConvolutions.asSpaceToBatch(graph);
    PreparedGraph prepared = ConstantFolding.apply(runnable);
    ConstantChecks.requireFiniteWeights(prepared);
    return DynamicDimensions.analyze(withoutIdentities, runnable, inputShapes, prepared);
  }
}
