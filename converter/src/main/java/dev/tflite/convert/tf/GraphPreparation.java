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
    // an importer that had to fix open lengths to build the model gives the model at other lengths to compare with
    TfGraph probeSource = imported.lengthProbe() == null ? withoutIdentities : LstmBlockCells.lower(IdentityRemoval.apply(imported.lengthProbe()));
    return DynamicDimensions.analyze(withoutIdentities, probeSource, runnable, inputShapes, prepared);
  }
}
