package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.TensorFlowTime;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfRuntime;
import dev.tflite.convert.tf.TfTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.NodeDef;

/**
 * Replaces variable reads by constants holding the values restored in the loaded SavedModel session: TF1
 * {@code VariableV2} nodes, and {@code ReadVariableOp} of TF2 resource handles ({@code VarHandleOp}).
 */
final class VariableFreezer {
  private static final Set<String> REF_VARIABLES = Set.of("VariableV2", "Variable");

  private VariableFreezer() {}

  static List<NodeDef> freeze(List<NodeDef> nodes, SavedModelBundle bundle) {
    return freeze(nodes, bundle.graph(), bundle.session());
  }

  /** {@code graph} holds the variables the nodes read (by node name), {@code session} their restored values. */
  static List<NodeDef> freeze(List<NodeDef> nodes, Graph graph, Session session) {
    Map<String, NodeDef> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));

    // node to replace -> graph tensor in the bundle's graph that yields its value
    Map<String, String> toFetch = new LinkedHashMap<>();
    for (NodeDef n : nodes) {
      if (REF_VARIABLES.contains(n.getOp())) {
        toFetch.put(n.getName(), n.getName() + ":0");
      } else if (n.getOp().equals("ReadVariableOp")) {
        TensorName handle = TfGraph.dataInputs(n).get(0);
        NodeDef handleNode = byName.get(handle.node());
        if (handleNode == null || !handleNode.getOp().equals("VarHandleOp")) {
          throw new ConversionException("variable read '" + n.getName() + "' does not read a variable handle directly (it reads '"
              + handle + "'); this resource pattern is not supported");
        }
        toFetch.put(n.getName(), readOpFor(graph, handleNode));
      }
    }
    if (toFetch.isEmpty()) {
      return nodes;
    }
    Map<String, TensorData> values = fetch(session, toFetch);
    List<NodeDef> result = new ArrayList<>(nodes.size());
    for (NodeDef n : nodes) {
      TensorData value = values.get(n.getName());
      result.add(value == null ? n : TfTensors.constNode(n.getName(), value));
    }
    return result;
  }

  /** Adds a ReadVariableOp on the handle to the bundle's graph (sessions accept graph extension) and names it. */
  private static String readOpFor(Graph graph, NodeDef handle) {
    String name = "tflite_freeze/" + handle.getName();
    if (graph.operation(name) == null) {
      GraphOperation handleOp = graph.operation(handle.getName());
      if (handleOp == null) {
        throw new ConversionException("variable '" + handle.getName() + "' is not in the loaded SavedModel graph");
      }
      graph.opBuilder("ReadVariableOp", name, graph.baseScope())
          .addInput(handleOp.output(0))
          .setAttr("dtype", handle.getAttrOrThrow("dtype").getType())
          .build();
    }
    return name + ":0";
  }

  /**
   * The value behind each node, each tensor fetched once: a variable read at every step of a loop unrolled in Python
   * (Keras' unroll=True) is many ReadVariableOps on one handle, and a session result cannot name one tensor twice.
   */
  private static Map<String, TensorData> fetch(Session session, Map<String, String> toFetch) {
    Session.Runner runner = session.runner();
    List<String> tensors = new ArrayList<>(new java.util.LinkedHashSet<>(toFetch.values()));
    tensors.forEach(runner::fetch);
    Map<String, TensorData> byTensor = new LinkedHashMap<>();
    try (Result result = TensorFlowTime.measure(runner::run)) {
      for (int i = 0; i < tensors.size(); i++) {
        byTensor.put(tensors.get(i), TfTensors.fromTensor(result.get(i), "variable '" + tensors.get(i) + "'"));
      }
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConversionException("cannot read the model's variables from its checkpoint: " + TfRuntime.firstLine(e.getMessage())
          + " (is the variables/ folder complete?)", e);
    }
    Map<String, TensorData> values = new LinkedHashMap<>();
    toFetch.forEach((node, tensor) -> values.put(node, byTensor.get(tensor)));
    return values;
  }
}
