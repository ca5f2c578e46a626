package dev.tflite.convert.tf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/** Graph walks shared by the importers and passes. */
public final class TfGraphs {
  private TfGraphs() {}

  /**
   * The nodes the outputs depend on through data edges, in their original order. Nodes missing from the list
   * are left for the topological sort to report.
   */
  public static List<NodeDef> reachable(List<NodeDef> nodes, List<SignatureTensor> outputs) {
    return reachableFrom(nodes, outputs.stream().map(SignatureTensor::tensor).toList());
  }

  /** The nodes {@code tensors} depend on through data edges, in their original order. */
  public static List<NodeDef> reachableFrom(Collection<NodeDef> nodes, Collection<TensorName> tensors) {
    Map<String, NodeDef> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));
    Set<String> keep = new HashSet<>();
    Deque<String> work = new ArrayDeque<>();
    tensors.forEach(t -> work.push(t.node()));
    while (!work.isEmpty()) {
      String name = work.pop();
      if (!keep.add(name)) {
        continue;
      }
      NodeDef n = byName.get(name);
      if (n != null) {
        TfGraph.dataInputs(n).forEach(in -> work.push(in.node()));
      }
    }
    List<NodeDef> result = new ArrayList<>();
    for (NodeDef n : nodes) {
      if (keep.contains(n.getName())) {
        result.add(n);
      }
    }
    return result;
  }
}
