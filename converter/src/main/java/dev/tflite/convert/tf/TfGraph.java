package dev.tflite.convert.tf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.tflite.convert.ConversionException;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.VersionDef;

/**
 * A flat TensorFlow graph (no function library, no variables) keyed by node name, with the signature's input and
 * output tensors. This is the form every TensorFlow-level pass reads and returns.
 */
public final class TfGraph {
  private final Map<String, NodeDef> nodes;
  private final List<SignatureTensor> inputs;
  private final List<SignatureTensor> outputs;
  private final String signatureKey;
  private final VersionDef versions;
  /** The same model built at other lengths of its open non-batch dimensions (a Keras sequence model), or null. */
  private TfGraph lengthProbe;

  /**
   * {@code versions} is the source GraphDef's version: TensorFlow interprets some attributes by it (a Placeholder's
   * empty shape means "unknown" in old graphs, "scalar" in new ones), so it travels with the graph.
   */
  public TfGraph(String signatureKey, VersionDef versions, Collection<NodeDef> nodes, List<SignatureTensor> inputs, List<SignatureTensor> outputs) {
    this.signatureKey = signatureKey;
    this.versions = versions;
    this.nodes = new LinkedHashMap<>();
    for (NodeDef n : nodes) {
      this.nodes.put(n.getName(), n);
    }
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /**
   * This graph with {@code probe}: the same model built with every open non-batch input dimension at another length
   * (what an importer that must fix those lengths to build the model can give), so that shape analysis sees which
   * tensors follow them. Only the imported graph carries it; the TensorFlow passes return graphs without one.
   */
  public TfGraph withLengthProbe(TfGraph probe) {
    TfGraph g = new TfGraph(signatureKey, versions, nodes.values(), inputs, outputs);
    g.lengthProbe = probe;
    return g;
  }

  /** See {@link #withLengthProbe}; null for a graph whose only unknown dimensions are unknown in the graph itself. */
  public TfGraph lengthProbe() {
    return lengthProbe;
  }

  public NodeDef node(String name) {
    return nodes.get(name);
  }

  public NodeDef producer(TensorName tensor) {
    return nodes.get(tensor.node());
  }

  public Collection<NodeDef> nodes() {
    return nodes.values();
  }

  public List<SignatureTensor> inputs() {
    return inputs;
  }

  public List<SignatureTensor> outputs() {
    return outputs;
  }

  /** The signature key the graph was imported for; the written model's SignatureDef carries it. */
  public String signatureKey() {
    return signatureKey;
  }

  public TfGraph withNodes(Collection<NodeDef> newNodes) {
    return new TfGraph(signatureKey, versions, newNodes, inputs, outputs);
  }

  /** The same signature over new nodes and signature tensors (what each pass returns). */
  public TfGraph rebuilt(Collection<NodeDef> newNodes, List<SignatureTensor> newInputs, List<SignatureTensor> newOutputs) {
    return new TfGraph(signatureKey, versions, newNodes, newInputs, newOutputs);
  }

  public GraphDef toGraphDef() {
    return GraphDef.newBuilder().setVersions(versions).addAllNode(topologicalOrder()).build();
  }

  /** The nodes in their stored order: for TensorFlow to import a graph whose TF1 while loops still have back edges. */
  public GraphDef toGraphDefAsStored() {
    return GraphDef.newBuilder().setVersions(versions).addAllNode(nodes.values()).build();
  }

  /** Data inputs of a node (control dependencies left out). */
  public static List<TensorName> dataInputs(NodeDef node) {
    List<TensorName> result = new ArrayList<>();
    for (String in : node.getInputList()) {
      if (!TensorName.isControl(in)) {
        result.add(TensorName.parse(in));
      }
    }
    return result;
  }

  /** Nodes in an order where every node follows its inputs; a cycle or a dangling input is an error. */
  public List<NodeDef> topologicalOrder() {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef n : nodes.values()) {
      int count = 0;
      for (TensorName in : dataInputs(n)) {
        if (!nodes.containsKey(in.node())) {
          throw new ConversionException("node '" + n.getName() + "' (" + n.getOp() + ") reads '" + in + "', which is not in the graph: the graph is incomplete");
        }
        consumers.computeIfAbsent(in.node(), k -> new ArrayList<>()).add(n.getName());
        count++;
      }
      pending.put(n.getName(), count);
    }
    Deque<String> ready = new ArrayDeque<>();
    for (NodeDef n : nodes.values()) {
      if (pending.get(n.getName()) == 0) {
        ready.add(n.getName());
      }
    }
    List<NodeDef> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String name = ready.poll();
      order.add(nodes.get(name));
      for (String c : consumers.getOrDefault(name, List.of())) {
        if (pending.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    if (order.size() != nodes.size()) {
      Set<String> stuck = new HashSet<>(nodes.keySet());
      order.forEach(n -> stuck.remove(n.getName()));
      throw new ConversionException("the graph has a cycle through nodes " + stuck.stream().sorted().limit(10).toList()
          + "; only acyclic inference graphs can be converted (control flow loops are not supported)");
    }
    return order;
  }
}
