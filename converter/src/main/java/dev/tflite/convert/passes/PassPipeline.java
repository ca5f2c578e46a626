package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.target.RuntimeVersions;
import dev.tflite.convert.target.TargetRuntime;
import java.util.ArrayList;
import java.util.List;

/** The ordered passes between legalization and quantization. */
public final class PassPipeline {
  private final List<Pass> passes;

  public PassPipeline(List<Pass> passes) {
    this.passes = List.copyOf(passes);
  }

  /**
   * The official converter's graph optimizations: SpaceToBatchND-wrapped convolutions into dilated ones (first, so the
   * bias and activation after them fuse), the PReLU, HardSwish and L2-normalization patterns (and GELU's tanh form
   * for a target with GELU), then until nothing changes: squeeze, reshape and transpose chains collapsed, a slice taking one element of a PACK read from that element and a PACK of every element of one tensor read as that tensor, a zero PAD that is a VALID convolution's SAME padding
   * folded into it, a MEAN of single elements dropped, element-wise ops moved before reshapes, constant Add/Sub/Mul/Div (BiasAdd, batch norm) folded into the
   * preceding conv / depthwise / fully-connected / transpose-conv, Maximum/Minimum clamps matched as RELU and
   * RELU_N1_TO_1, and clamp activations fused.
   */
  public static PassPipeline standard() {
    return standard(TargetRuntime.DEFAULT);
  }

  /**
   * The standard passes for files that must load in {@code target}: patterns whose single op arrived after it (GELU,
   * 2.9) keep their decomposition. The pattern fusions run before activations fuse, while relu6 is still its own op.
   */
  public static PassPipeline standard(TargetRuntime target) {
    List<Pass> patterns = new ArrayList<>(List.of(new FoldDilatedConvolution(), new FusePRelu(), new FuseHardSwish(), new FuseL2Normalization()));
    if (RuntimeVersions.registered(OpType.GELU, 1, target)) {
      patterns.add(new FuseGelu());
      patterns.add(new FuseExactGelu());
    }
    List<Pass> all = new ArrayList<>(patterns);
    all.add(new FixedPoint(List.of(
            new SqueezeToReshape(),
            new FoldPadIntoConvolution(),
            new DropIdentityMean(),
            new CollapseReshapes(),
            new CollapseTransposes(),
            new SelectFromPack(),
            new PackOfSlices(),
            new FoldReshapesIntoFullyConnected(),
            new MoveBeforeReshape(),
            new FoldAddIntoBias(),
            new FoldScaleIntoWeights(),
            new MatchClampActivations(),
            new FuseActivation())));
    all.add(new DeadCodeElimination());
    return new PassPipeline(all);
  }

  public void run(Graph graph) {
    for (Pass pass : passes) {
      pass.run(graph);
    }
  }
}
