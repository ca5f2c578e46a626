package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.List;

/**
 * A MEAN whose output has its input's shape averages single elements only (a squeeze-excite GlobalAveragePooling2D
 * with keepdims=True on a 1x1 feature map: MobileNetV3 and EfficientNet at small inputs): it is removed, as the
 * official converter removes it.
 */
final class DropIdentityMean implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator mean : List.copyOf(graph.operators())) {
      if (mean.type() == OpType.MEAN) {
        changed |= CollapseReshapes.removeIfIdentity(graph, mean);
      }
    }
    return changed;
  }
}
