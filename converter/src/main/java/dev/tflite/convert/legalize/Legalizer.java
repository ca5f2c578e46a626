package dev.tflite.convert.legalize;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.tf.Composites;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.PreparedGraph;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.proto.NodeDef;

/**
 * Converts a prepared TensorFlow graph into the IR. Support is checked for the whole graph first, so one error lists
 * every unsupported op type with its node names; nodes of supported types that still cannot be converted are listed
 * the same way.
 */
public final class Legalizer {
  private final LegalizationRegistry registry;
  private final java.util.function.Function<String, String> unfusedReason;

  public Legalizer(LegalizationRegistry registry) {
    this(registry, kind -> null);
  }

  /**
   * {@code unfusedReason}: why this conversion writes a kind of composite (recurrent layer) in its lowered form, by
   * composite kind; null fuses it.
   */
  public Legalizer(LegalizationRegistry registry, java.util.function.Function<String, String> unfusedReason) {
    this.registry = registry;
    this.unfusedReason = unfusedReason;
  }

  public Graph legalize(PreparedGraph prepared) {
    List<NodeDef> order = prepared.graph().topologicalOrder();
    checkSupport(order);

    Graph graph = new Graph();
    Map<TensorName, Tensor> irTensors = new HashMap<>();
    for (SignatureTensor in : prepared.graph().inputs()) {
      DType type = DType.fromTensorFlow(prepared.info(in.tensor()).type());
      if (type == null) {
        throw new ConversionException("input '" + in.name() + "' has type " + prepared.info(in.tensor()).type()
            + ", which TensorFlow Lite conversion does not support; convert a signature whose inputs are numeric tensors");
      }
      Tensor t = graph.newTensor(in.tensor().node(), type, in.shape(), in.tensor().node());
      t.setSourceTensor(in.tensor().toString());
      t.setDynamicDims(prepared.dynamic(in.tensor()));
      irTensors.put(in.tensor(), t);
      graph.addInput(in.name(), t);
    }

    List<String> failures = new ArrayList<>();
    java.util.Set<String> failed = new java.util.HashSet<>(); // and what reads them: each failure is listed once, at its cause
    for (NodeDef node : order) {
      if (node.getOp().equals("Const") || isSignatureInput(prepared, node)) {
        continue;
      }
      if (TfGraph.dataInputs(node).stream().anyMatch(in -> failed.contains(in.node()))) {
        failed.add(node.getName());
        continue;
      }
      if (node.getOp().equals("Placeholder")) {
        failures.add("node '" + node.getName() + "' (Placeholder): the graph reads this input, but the signature does not declare it");
        continue;
      }
      try {
        LegalizeContext ctx = new LegalizeContext(node, prepared, graph, irTensors, unfusedReason);
        if (Composites.isMarker(node)) {
          RecurrentComposites.legalize(ctx);
        } else {
          registry.find(node.getOp()).legalize(ctx);
        }
      } catch (UnsupportedNodeException e) {
        failed.add(node.getName());
        failures.add("node '" + node.getName() + "' (" + node.getOp() + "): " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new ConversionException("cannot convert " + failures.size() + " node(s):\n  " + String.join("\n  ", failures));
    }
    for (SignatureTensor out : prepared.graph().outputs()) {
      Tensor t = irTensors.get(out.tensor());
      if (t == null) {
        t = graph.newConstant(out.tensor().node(), prepared.constant(out.tensor()), out.tensor().node());
      }
      graph.addOutput(out.name(), t);
    }
    return graph;
  }

  private static boolean isSignatureInput(PreparedGraph prepared, NodeDef node) {
    return prepared.graph().inputs().stream().anyMatch(i -> i.tensor().node().equals(node.getName()));
  }

  private void checkSupport(List<NodeDef> order) {
    Map<String, TreeSet<String>> unsupported = new TreeMap<>();
    for (NodeDef node : order) {
      if (!node.getOp().equals("Const") && !node.getOp().equals("Placeholder") && !Composites.isMarker(node) && registry.find(node.getOp()) == null) {
        unsupported.computeIfAbsent(node.getOp(), k -> new TreeSet<>()).add(node.getName());
      }
    }
    if (!unsupported.isEmpty()) {
      StringBuilder message = new StringBuilder("the model uses " + unsupported.size() + " op type(s) that cannot be converted to TensorFlow Lite builtins yet:");
      unsupported.forEach((op, nodes) -> message.append("\n  ").append(op).append(" (").append(nodes.size()).append(" node(s): ")
          .append(String.join(", ", nodes.stream().limit(5).toList())).append(nodes.size() > 5 ? ", ..." : "").append(")"));
      message.append("\nSupported ops: ").append(String.join(", ", registry.all().keySet()));
      throw new ConversionException(message.toString());
    }
  }
}
