package dev.tflite.convert.tf.recurrent;

import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.NodeDef;

/** A TensorFlow graph's nodes with who reads each tensor, for matching patterns by walking forward as well as back. */
final class GraphIndex {
  private final TfGraph graph;
  private final Map<String, List<NodeDef>> consumers = new HashMap<>();

  GraphIndex(TfGraph graph) {
    this.graph = graph;
    for (NodeDef n : graph.nodes()) {
      for (TensorName in : TfGraph.dataInputs(n)) {
        consumers.computeIfAbsent(in.toString(), k -> new ArrayList<>()).add(n);
      }
    }
  }

  TfGraph graph() {
    return graph;
  }

  /** The nodes reading {@code tensor} (a node listed once per input it reads it through). */
  List<NodeDef> consumers(String tensor) {
    return consumers.getOrDefault(tensor, List.of());
  }

  /** The only node reading {@code tensor}, or null when none or several do (or a graph output is it). */
  NodeDef soleConsumer(String tensor) {
    if (tensor == null) {
      return null;
    }
    List<NodeDef> readers = consumers(tensor);
    return readers.size() == 1 && !isGraphOutput(tensor) ? readers.get(0) : null;
  }

  boolean isGraphOutput(String tensor) {
    return graph.outputs().stream().anyMatch(o -> o.tensor().toString().equals(tensor));
  }

  /** The node producing {@code tensor}; null for none (or a null tensor, so that failed lookups chain). */
  NodeDef producer(String tensor) {
    return tensor == null ? null : graph.producer(TensorName.parse(tensor));
  }

  /** Data input {@code i} of {@code node}, normalised to {@code node:index}. */
  static String input(NodeDef node, int i) {
    return TfGraph.dataInputs(node).get(i).toString();
  }

  /** The value of {@code tensor} when a Const node produces it, else null. */
  TensorData constant(String tensor) {
    NodeDef p = producer(tensor);
    return p == null ? null : TfTensors.constValue(p);
  }

  /**
   * Whether {@code tensor} is zeros by construction: a Const of zeros, a Fill with zero, ZerosLike, or zeros broadcast
   * (how recurrent layers write their initial states, often at the run's batch size).
   */
  boolean isZeros(String tensor) {
    NodeDef p = producer(tensor);
    if (p == null) {
      return false;
    }
    return switch (p.getOp()) {
      case "ZerosLike" -> true;
      case "Fill" -> allZero(constant(input(p, 1)));
      case "BroadcastTo" -> allZero(constant(input(p, 0)));
      case "Const" -> allZero(TfTensors.constValue(p));
      default -> false;
    };
  }

  private static boolean allZero(TensorData value) {
    if (value == null || value.type() != dev.tflite.convert.ir.DType.FLOAT32) {
      return false;
    }
    for (float f : value.floats()) {
      if (f != 0f) {
        return false;
      }
    }
    return true;
  }
}
