package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * RESHAPEs that cannot follow the model's dynamic dimensions: a constant target holds one -1 at most, so a RESHAPE
 * whose output has two or more dynamic dimensions (batch and an open sequence length, say) and a constant target
 * would keep reading the sizes the model was built at. After the passes (which fold the common case, a dense layer
 * on a sequence, into one FULLY_CONNECTED) none may remain.
 */
public final class FixedReshapes {
  private FixedReshapes() {}

  /** Each such RESHAPE, as its output tensor and the layer it came from. */
  public static List<String> in(Graph graph) {
    List<String> found = new ArrayList<>();
    for (Operator op : graph.operators()) {
      if (op.type() == OpType.RESHAPE && Reshapes.dynamicCount(op.output(0)) > 1 && (op.inputs().size() < 2 || op.input(1) == null || op.input(1).isConstant())) {
        found.add("'" + op.output(0).name() + "' (from " + op.origin() + ")");
      }
    }
    return found;
  }
}
