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
   * The official converter's graph optimizations: SpaceToBatchND-wrapped convolutions into dilated ones (first, so the
   * bias and activation after them fuse), the PReLU pattern, then until nothing changes: squeeze and reshape chains
   * collapsed, element-wise ops moved before reshapes, constant Add/Sub/Mul/Div (BiasAdd, batch norm) folded into the
   * preceding conv / depthwise / fully-connected / transpose-conv, Maximum/Minimum clamps matched as RELU and
   * RELU_N1_TO_1, and clamp activations fused.
   */
  public static PassPipeline standard() {
    return new PassPipeline(List.of(
        new FoldDilatedConvolution(),
        new FusePRelu(),
        new FixedPoint(List.of(
            new SqueezeToReshape(),
            new CollapseReshapes(),
            new MoveBeforeReshape(),
            new FoldAddIntoBias(),
            new FoldScaleIntoWeights(),
            new MatchClampActivations(),
            new FuseActivation())),
        new DeadCodeElimination()));
  }

  public void run(Graph graph) {
    for (Pass pass : passes) {
      pass.run(graph);
    }
  }
}
