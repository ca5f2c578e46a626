package dev.tflite.convert.tf;

import dev.tflite.convert.ir.TensorData;
import java.util.Map;

/**
 * A frozen TensorFlow graph ready for legalization: identities removed, constants folded, every tensor's type and
 * shape inferred, and the values of the constants that non-constant nodes read.
 */
public record PreparedGraph(TfGraph graph, Map<TensorName, TensorInfo> tensors, Map<TensorName, TensorData> constants) {

  public TensorInfo info(TensorName tensor) {
    return tensors.get(tensor);
  }

  public TensorData constant(TensorName tensor) {
    return constants.get(tensor);
  }
}
