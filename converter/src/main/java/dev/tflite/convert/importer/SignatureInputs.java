package dev.tflite.convert.importer;

import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A signature may feed any tensor, not just a placeholder (TF1 serving graphs feed {@code x:0} behind a
 * ParseExample); feeding cuts the graph there. This turns every fed tensor into a Placeholder so the graph upstream of
 * it (tf.Example parsing) drops out.
 */
final class SignatureInputs {
  private SignatureInputs() {}

  static List<NodeDef> cut(List<NodeDef> nodes, List<SignatureTensor> inputs, List<SignatureTensor> cutInputs) {
    Map<String, NodeDef> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.getName(), n));
    Map<String, String> replaced = new HashMap<>(); // fed tensor -> placeholder node
    List<NodeDef> added = new ArrayList<>();
    for (SignatureTensor in : inputs) {
      NodeDef producer = byName.get(in.tensor().node());
      if (producer == null || producer.getOp().equals("Placeholder")) {
        cutInputs.add(in);
        continue;
      }
      String placeholder = in.tensor().index() == 0 && singleOutput(producer) ? producer.getName() : in.tensor().node() + "/fed_" + in.tensor().index();
      replaced.put(in.tensor().toString(), placeholder);
      NodeDef.Builder p = NodeDef.newBuilder().setName(placeholder).setOp("Placeholder")
          .putAttr("dtype", AttrValue.newBuilder().setType(in.type()).build());
      if (in.shape() != null) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : in.shape()) {
          shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        p.putAttr("shape", AttrValue.newBuilder().setShape(shape).build());
      }
      added.add(p.build());
      cutInputs.add(in.withTensor(new TensorName(placeholder, 0)));
    }
    if (replaced.isEmpty()) {
      return nodes;
    }
    List<NodeDef> result = new ArrayList<>(added);
    for (NodeDef n : nodes) {
      if (added.stream().anyMatch(a -> a.getName().equals(n.getName()))) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (TensorName in : TfGraph.dataInputs(n)) {
        b.addInput(replaced.getOrDefault(in.toString(), in.toString()));
      }
      result.add(b.build());
    }
    return result;
  }

  private static boolean singleOutput(NodeDef node) {
    return node.getOp().equals("Identity") || node.getOp().equals("Placeholder") || node.getOp().equals("PlaceholderWithDefault");
  }
}
