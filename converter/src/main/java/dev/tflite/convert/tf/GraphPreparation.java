package dev.tflite.convert.tf;

import dev.tflite.convert.tf.recurrent.UnrolledRecurrentLayers;
import java.util.Map;

/** The TensorFlow-level pipeline between import and legalization. */
public final class GraphPreparation {
  private GraphPreparation() {}

  public static PreparedGraph prepare(TfGraph imported, Map<String, long[]> inputShapes) {
    TfGraph withoutIdentities = lowered(imported);
    TfGraph graph = InputShapes.apply(withoutIdentities, inputShapes);
    // before anything runs the graph in TensorFlow (folding, calibration, the reference behind the debug artifacts)
    TfGraph runnable = DilatedConvolutions.asSpaceToBatch(graph);
    PreparedGraph prepared = ConstantFolding.apply(runnable);
    ConstantChecks.requireFiniteWeights(prepared);
    // an importer that had to fix open lengths to build the model gives the model at other lengths to compare with
    TfGraph probeSource = imported.lengthProbe() == null ? withoutIdentities : lowered(imported.lengthProbe());
    return DynamicDimensions.analyze(withoutIdentities, probeSource, runnable, inputShapes, prepared);
  }

  /** Identities gone, LSTMBlockCell ops lowered, and the LSTM and simple-RNN layers found unrolled marked to be written fused. */
  private static TfGraph lowered(TfGraph graph) {
    return UnrolledRecurrentLayers.mark(LstmBlockCells.lower(IdentityRemoval.apply(graph)));
  }
}
