package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Evaluates every subgraph that depends only on constants with TensorFlow's own kernels (so folding is exact for any
 * op), after turning Shape/Size/Rank of statically shaped tensors into constants. Returns the folded graph and the
 * values of all constants that the remaining nodes read.
 */
public final class ConstantFolding {
  private ConstantFolding() {}

  public static PreparedGraph apply(TfGraph graph) {
    return apply(graph, Set.of());
  }

  /**
   * {@code atRunTime}: Shape/Size nodes left as ops although their input's shape is known here, because it changes
   * when the model's dynamic dimensions are resized (everything computed from them stays an op too).
   */
  static PreparedGraph apply(TfGraph graph, Set<String> atRunTime) {
    TfGraph withStaticShapes = replaceStaticShapeOps(graph, ShapeInference.infer(graph), atRunTime);
    Set<String> constant = constantNodes(withStaticShapes);

    Set<TensorName> frontier = new LinkedHashSet<>();
    for (NodeDef n : withStaticShapes.topologicalOrder()) {
      if (!constant.contains(n.getName())) {
        for (TensorName in : TfGraph.dataInputs(n)) {
          if (constant.contains(in.node())) {
            frontier.add(in);
          }
        }
      }
    }
    for (SignatureTensor out : withStaticShapes.outputs()) {
      if (constant.contains(out.tensor().node())) {
        frontier.add(out.tensor());
      }
    }
    // Weights stored raw in Const nodes are read from the proto; only computed constants go through TensorFlow, on the
    // subgraph they need, so a large model's weights are not copied into TensorFlow and back.
    Map<TensorName, TensorData> values = new HashMap<>();
    Set<TensorName> stored = new HashSet<>();
    List<TensorName> computed = new ArrayList<>();
    for (TensorName t : frontier) {
      TensorData raw = t.index() == 0 ? TfTensors.rawConstValue(withStaticShapes.producer(t)) : null;
      if (raw != null) {
        values.put(t, raw);
        stored.add(t);
      } else {
        computed.add(t);
      }
    }
    values.putAll(evaluate(withStaticShapes.withNodes(TfGraphs.reachableFrom(withStaticShapes.nodes(), computed)), computed));

    // Replace folded subgraphs by Const nodes named after the tensor they hold.
    Map<TensorName, String> constName = new HashMap<>();
    List<NodeDef> nodes = new ArrayList<>();
    for (TensorName t : frontier) {
      String name = t.index() == 0 ? t.node() : t.node() + "/output_" + t.index();
      constName.put(t, name);
      nodes.add(stored.contains(t) ? withStaticShapes.producer(t).toBuilder().clearInput().build() : TfTensors.constNode(name, values.get(t)));
    }
    for (NodeDef n : withStaticShapes.nodes()) {
      if (constant.contains(n.getName())) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (TensorName in : TfGraph.dataInputs(n)) {
        b.addInput(constName.getOrDefault(in, in.toString()));
      }
      nodes.add(b.build());
    }
    List<SignatureTensor> outputs = withStaticShapes.outputs().stream()
        .map(o -> constName.containsKey(o.tensor()) ? o.withTensor(new TensorName(constName.get(o.tensor()), 0)) : o)
        .toList();
    TfGraph folded = withStaticShapes.rebuilt(TfGraphs.reachable(nodes, outputs), withStaticShapes.inputs(), outputs);

    Map<TensorName, TensorData> constants = new HashMap<>();
    values.forEach((t, v) -> constants.put(new TensorName(constName.get(t), 0), v));
    return new PreparedGraph(folded, ShapeInference.infer(folded), constants);
  }

  /** Nodes whose value is known before running: Const, and stateless ops that read only such nodes. */
  private static Set<String> constantNodes(TfGraph graph) {
    Set<String> constant = new HashSet<>();
    for (NodeDef n : graph.topologicalOrder()) {
      List<TensorName> inputs = TfGraph.dataInputs(n);
      boolean isConst = n.getOp().equals("Const")
          || (!inputs.isEmpty() && !OpDefRegistry.isStateful(n.getOp()) && !n.getOp().equals("Placeholder")
              && inputs.stream().allMatch(in -> constant.contains(in.node())));
      if (isConst) {
        constant.add(n.getName());
      }
    }
    return constant;
  }

  private static TfGraph replaceStaticShapeOps(TfGraph graph, Map<TensorName, TensorInfo> infos, Set<String> atRunTime) {
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : graph.nodes()) {
      TensorData value = null;
      if (Set.of("Shape", "Size", "Rank").contains(n.getOp()) && !atRunTime.contains(n.getName())) {
        long[] shape = infos.get(TfGraph.dataInputs(n).get(0)).shape();
        if (Shapes.isFullyKnown(shape)) {
          DataType outType = n.containsAttr("out_type") ? n.getAttrOrThrow("out_type").getType() : DataType.DT_INT32;
          long[] contents = switch (n.getOp()) {
            case "Shape" -> shape;
            case "Size" -> new long[] {Shapes.elementCount(shape)};
            default -> new long[] {shape.length};
          };
          long[] valueShape = n.getOp().equals("Shape") ? new long[] {shape.length} : new long[0];
          value = integers(outType, valueShape, contents);
        }
      }
      nodes.add(value == null ? n : TfTensors.constNode(n.getName(), value));
    }
    return graph.withNodes(nodes);
  }

  private static TensorData integers(DataType type, long[] shape, long[] values) {
    boolean wide = type == DataType.DT_INT64;
    ByteBuffer buffer = ByteBuffer.allocate(values.length * (wide ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      if (wide) {
        buffer.putLong(v);
      } else {
        buffer.putInt(Math.toIntExact(v));
      }
    }
    return new TensorData(wide ? DType.INT64 : DType.INT32, shape, buffer.array());
  }

  private static Map<TensorName, TensorData> evaluate(TfGraph graph, List<TensorName> tensors) {
    Map<TensorName, TensorData> values = new HashMap<>();
    if (tensors.isEmpty()) {
      return values;
    }
    try (Graph tfGraph = TfRuntime.importGraph(graph); Session session = TensorFlowTime.measure(() -> new Session(tfGraph))) {
      Session.Runner runner = session.runner();
      tensors.forEach(t -> runner.fetch(t.node(), t.index()));
      try (Result result = TensorFlowTime.measure(runner::run)) {
        for (int i = 0; i < tensors.size(); i++) {
          values.put(tensors.get(i), TfTensors.fromTensor(result.get(i), "constant '" + tensors.get(i) + "'"));
        }
      }
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConversionException("TensorFlow failed to evaluate the model's constant subgraphs: " + TfRuntime.firstLine(e.getMessage()), e);
    }
    return values;
  }
}
