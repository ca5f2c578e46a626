package dev.tflite.convert.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * Removes ops that pass data through unchanged at inference (Identity, IdentityN, StopGradient, ...) and NoOps, and
 * strips internal attributes (colocation, device placement) that would refer to removed nodes. A composite's mark
 * ({@link Composites}) stays, with its attributes.
 */
public final class IdentityRemoval {
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "IdentityN", "StopGradient", "Snapshot", "PreventGradient");

  private IdentityRemoval() {}

  public static TfGraph apply(TfGraph graph) {
    Map<String, NodeDef> byName = new HashMap<>();
    graph.nodes().forEach(n -> byName.put(n.getName(), n));
    List<NodeDef> kept = new ArrayList<>();
    for (NodeDef n : graph.nodes()) {
      if ((PASS_THROUGH.contains(n.getOp()) && !Composites.isMarker(n)) || n.getOp().equals("NoOp")) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder().clearInput().clearDevice();
      for (TensorName in : TfGraph.dataInputs(n)) {
        b.addInput(resolve(in, byName).toString());
      }
      n.getAttrMap().keySet().stream().filter(k -> k.startsWith("_") && !k.startsWith("_tflite_")).forEach(b::removeAttr);
      kept.add(b.build());
    }
    List<SignatureTensor> inputs = graph.inputs().stream().map(s -> s.withTensor(resolve(s.tensor(), byName))).toList();
    List<SignatureTensor> outputs = graph.outputs().stream().map(s -> s.withTensor(resolve(s.tensor(), byName))).toList();
    return graph.rebuilt(kept, inputs, outputs);
  }

  private static TensorName resolve(TensorName tensor, Map<String, NodeDef> byName) {
    TensorName current = tensor;
    NodeDef producer = byName.get(current.node());
    while (producer != null && PASS_THROUGH.contains(producer.getOp()) && !Composites.isMarker(producer)) {
      int index = producer.getOp().equals("IdentityN") ? current.index() : 0;
      current = TfGraph.dataInputs(producer).get(index);
      producer = byName.get(current.node());
    }
    return current;
  }
}
