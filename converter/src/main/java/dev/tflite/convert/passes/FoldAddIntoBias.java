package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.Set;

/**
 * {@code affine(x) + c} and {@code affine(x) - c} with a scalar or per-output-channel constant c (BiasAdd, a batch-norm
 * shift) go into the op's bias; a transpose-conv without a bias gets one.
 */
final class FoldAddIntoBias extends FoldIntoAffine {
  FoldAddIntoBias() {
    super(Set.of(OpType.ADD, OpType.SUB), Set.of(OpType.ADD));
  }

  @Override
  Operator fold(Graph graph, Operator affine, AffineOp layout, OpType binary, float[] c) {
    float[] b = layout.biasValues(affine);
    for (int ch = 0; ch < b.length; ch++) {
      b[ch] = binary == OpType.SUB ? b[ch] - at(c, ch) : b[ch] + at(c, ch);
    }
    return layout.withBias(graph, affine, b);
  }
}
