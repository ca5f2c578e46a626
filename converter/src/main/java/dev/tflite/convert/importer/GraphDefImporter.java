package dev.tflite.convert.importer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.importer.loops.LoopUnroller;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Reads a frozen GraphDef (.pb): inputs are its placeholders, outputs the nodes nothing else reads. Signature names
 * are the node names.
 */
final class GraphDefImporter {
  private static final Set<String> NOT_OUTPUTS = Set.of("NoOp", "Const", "Assign", "AssignVariableOp", "SaveV2", "RestoreV2", "Placeholder");

  private GraphDefImporter() {}

  static TfGraph load(Path file, Map<String, long[]> inputShapes) {
    GraphDef graph;
    try {
      graph = GraphDef.parseFrom(Files.readAllBytes(file));
    } catch (InvalidProtocolBufferException e) {
      throw new ConversionException(file + " is not a readable GraphDef protocol buffer (" + e.getMessage() + "); pass a frozen graph written with SerializeToString()");
    } catch (IOException e) {
      throw new ConversionException("cannot read " + file + ": " + e.getMessage(), e);
    }
    GraphDefChecks.check(file.toString(), graph, List.of());
    if (graph.getNodeCount() == 0) {
      throw new ConversionException(file + " holds an empty graph; pass a frozen inference graph");
    }
    Set<String> consumed = new HashSet<>();
    for (NodeDef n : graph.getNodeList()) {
      TfGraph.dataInputs(n).forEach(t -> consumed.add(t.node()));
    }
    List<SignatureTensor> inputs = new ArrayList<>();
    List<SignatureTensor> outputs = new ArrayList<>();
    for (NodeDef n : graph.getNodeList()) {
      if (n.getOp().equals("Placeholder")) {
        long[] shape = n.containsAttr("shape") ? SavedModelImporter.shapeOf(n.getAttrOrThrow("shape").getShape()) : null;
        inputs.add(new SignatureTensor(n.getName(), new TensorName(n.getName(), 0), n.getAttrOrThrow("dtype").getType(), shape));
      } else if (!consumed.contains(n.getName()) && !NOT_OUTPUTS.contains(n.getOp())) {
        outputs.add(new SignatureTensor(n.getName(), new TensorName(n.getName(), 0), null, null));
      }
    }
    if (outputs.isEmpty()) {
      throw new ConversionException(file + " has no output node (every node is read by another); the graph is not an inference graph");
    }
    Map<String, String> aliases = new HashMap<>();
    List<NodeDef> needed = TfGraphs.reachable(graph.getNodeList(), outputs);
    List<NodeDef> flat = FunctionInliner.inline(needed, graph.getLibrary(), aliases);
    List<SignatureTensor> resolved = new ArrayList<>();
    outputs.forEach(o -> resolved.add(o.withTensor(TensorName.parse(aliases.getOrDefault(o.tensor().toString(), o.tensor().toString())))));
    if (LoopUnroller.hasLoops(flat)) {
      LoopUnroller.Unrolled unrolled = LoopUnroller.unroll(new TfGraph("serving_default", graph.getVersions(), flat, inputs, resolved),
          graph.getLibrary(), inputShapes);
      resolved.replaceAll(o -> o.withTensor(unrolled.resolve(o.tensor())));
      flat = TfGraphs.reachable(unrolled.nodes(), resolved);
    }
    return new TfGraph("serving_default", graph.getVersions(), flat, inputs, resolved);
  }
}
