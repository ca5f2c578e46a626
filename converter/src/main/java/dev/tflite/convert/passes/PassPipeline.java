package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import java.util.List;

/** The ordered passes between legalization and quantization. */
public final class PassPipeline {
  private final List<Pass> passes;

  public PassPipeline(List<Pass> passes) {
    this.passes = List.copyOf(passes);
  }

  /**
   * The official converter's fusions: SpaceToBatchND-wrapped convolutions into dilated ones (first, so the bias and
   * activation after them fuse), batch-norm scale and bias into weights, PReLU pattern, activations.
   */
  public static PassPipeline standard() {
    return new PassPipeline(List.of(
        new FoldDilatedConvolution(),
        new FoldScaleIntoWeights(),
        new FoldAddIntoBias(),
        new FusePRelu(),
        new FuseActivation(),
        new DeadCodeElimination()));
  }

  public void run(Graph graph) {
    for (Pass pass : passes) {
      pass.run(graph);
    }
  }
}
