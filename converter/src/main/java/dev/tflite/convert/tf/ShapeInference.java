package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Types and static shapes of every tensor, computed by TensorFlow's own shape functions (the graph is imported into a
 * TensorFlow graph, which runs them). Large float constants (weights) go in as placeholders of the same type and
 * shape: shape functions need only their shapes, and copying hundreds of megabytes into TensorFlow for that would
 * dominate the conversion of a large model.
 */
public final class ShapeInference {
  /** Float constants with more elements than this are passed by shape only. */
  private static final long VALUE_NEEDED_MAX_ELEMENTS = 1024;

  private ShapeInference() {}

  public static Map<TensorName, TensorInfo> infer(TfGraph graph) {
    return infer(graph, weightsAsPlaceholders(graph).toGraphDef());
  }

  /** The same for a graph that still calls functions of {@code library} (a loop's condition and body). */
  public static Map<TensorName, TensorInfo> infer(TfGraph graph, FunctionDefLibrary library) {
    return infer(graph, weightsAsPlaceholders(graph).toGraphDefAsStored().toBuilder().setLibrary(library).build());
  }

  private static TfGraph weightsAsPlaceholders(TfGraph graph) {
    return graph.withNodes(graph.nodes().stream().map(ShapeInference::weightAsPlaceholder).toList());
  }

  private static Map<TensorName, TensorInfo> infer(TfGraph graph, GraphDef def) {
    Map<TensorName, TensorInfo> result = new HashMap<>();
    try (Graph tfGraph = TfRuntime.importGraph(def)) {
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

  private static NodeDef weightAsPlaceholder(NodeDef node) {
    if (!node.getOp().equals("Const") || !node.containsAttr("value")) {
      return node;
    }
    TensorProto value = node.getAttrOrThrow("value").getTensor();
    boolean isFloat = value.getDtype() == DataType.DT_FLOAT || value.getDtype() == DataType.DT_HALF || value.getDtype() == DataType.DT_DOUBLE
        || value.getDtype() == DataType.DT_BFLOAT16;
    TensorShapeProto shape = value.getTensorShape();
    if (!isFloat || shape.getUnknownRank() || shape.getDimList().stream().anyMatch(d -> d.getSize() < 0)
        || shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).reduce(1, Math::multiplyExact) <= VALUE_NEEDED_MAX_ELEMENTS) {
      return node;
    }
    return NodeDef.newBuilder().setName(node.getName()).setOp("Placeholder").addAllInput(node.getInputList())
        .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
        .putAttr("shape", AttrValue.newBuilder().setShape(shape).build())
        .build();
  }
}
