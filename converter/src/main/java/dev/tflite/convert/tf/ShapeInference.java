package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Types and static shapes of every tensor, computed by TensorFlow's own shape functions (the graph is imported into a
 * TensorFlow graph, which runs them).
 */
public final class ShapeInference {
  private ShapeInference() {}

  public static Map<TensorName, TensorInfo> infer(TfGraph graph) {
    Map<TensorName, TensorInfo> result = new HashMap<>();
    try (Graph tfGraph = TfRuntime.importGraph(graph)) {
      for (NodeDef n : graph.nodes()) {
        GraphOperation op = tfGraph.operation(n.getName());
        for (int i = 0; i < op.numOutputs(); i++) {
          Shape shape = op.output(i).shape();
          DataType type = op.output(i).dataType();
          result.put(new TensorName(n.getName(), i), new TensorInfo(type, shape.isUnknown() ? null : shape.asArray()));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConversionException("TensorFlow rejects the frozen graph: " + e.getMessage(), e);
    }
    return result;
  }
}
