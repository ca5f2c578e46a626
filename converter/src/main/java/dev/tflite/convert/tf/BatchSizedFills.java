package dev.tflite.convert.tf;

import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * A recurrent layer's zero state in a TensorFlow graph is {@code Fill([shape(x)[0], units], 0)}: its shape is computed
 * from the batch, so folding it would fix the batch (and the whole model's) at the size conversion ran with. This
 * rewrites such a Fill into ops whose shape follows the batch through broadcasting:
 * {@code reshape(slice(x, 0, [-1, 1, ...]), [-1, 1, ...]) * 0 + fill([1, units], value)} (the -1 at the batch's axis of
 * x), builtins the batch flows
 * through. (x · 0 is 0 for every finite x; a non-finite input poisons the layer's products with it anyway.)
 */
public final class BatchSizedFills {
  private BatchSizedFills() {}

  public static TfGraph apply(TfGraph graph) {
    Map<String, NodeDef> byName = new HashMap<>();
    graph.nodes().forEach(n -> byName.put(n.getName(), n));
    Map<String, List<NodeDef>> replacements = new HashMap<>();
    Map<TensorName, TensorInfo> shapes = null;
    for (NodeDef fill : graph.nodes()) {
      if (!fill.getOp().equals("Fill")) {
        continue;
      }
      Match m = match(fill, byName);
      if (m == null) {
        continue;
      }
      shapes = shapes == null ? ShapeInference.infer(graph) : shapes;
      TensorInfo source = shapes.get(m.batchOf());
      DataType type = fill.getAttrOrThrow("T").getType();
      if (type != DataType.DT_FLOAT || source == null || source.shape() == null || source.shape().length <= m.axis() || source.type() != type) {
        continue;
      }
      replacements.put(fill.getName(), rewrite(fill, m, source.shape().length, type));
    }
    if (replacements.isEmpty()) {
      return graph;
    }
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : graph.nodes()) {
      nodes.addAll(replacements.getOrDefault(n.getName(), List.of(n)));
    }
    return graph.withNodes(TfGraphs.reachable(nodes, graph.outputs()));
  }

  /**
   * The tensor whose dimension {@code axis} (the batch: 0, or 1 in a time-major layout) the Fill's first dimension is,
   * and the Fill's other (constant) dimensions.
   */
  private record Match(TensorName batchOf, int axis, long[] rest) {}

  private static Match match(NodeDef fill, Map<String, NodeDef> byName) {
    NodeDef pack = byName.get(TfGraph.dataInputs(fill).get(0).node());
    if (pack == null || !pack.getOp().equals("Pack") || pack.getInputCount() < 2 || attrI(pack, "axis") != 0) {
      return null;
    }
    List<TensorName> dims = TfGraph.dataInputs(pack);
    NodeDef slice = byName.get(dims.get(0).node());
    if (slice == null || !slice.getOp().equals("StridedSlice") || attrI(slice, "shrink_axis_mask") != 1
        || attrI(slice, "ellipsis_mask") != 0 || attrI(slice, "new_axis_mask") != 0) {
      return null;
    }
    List<TensorName> sliceIn = TfGraph.dataInputs(slice);
    NodeDef shape = byName.get(sliceIn.get(0).node());
    long[] begin = constInts(byName.get(sliceIn.get(1).node()));
    if (shape == null || !shape.getOp().equals("Shape") || begin == null || begin.length != 1 || begin[0] < 0
        || !isInts(byName.get(sliceIn.get(2).node()), begin[0] + 1) || !isInts(byName.get(sliceIn.get(3).node()), 1)) {
      return null;
    }
    long[] rest = new long[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      long[] v = constInts(byName.get(dims.get(i).node()));
      if (v == null || v.length != 1 || v[0] < 0) {
        return null;
      }
      rest[i - 1] = v[0];
    }
    return new Match(TfGraph.dataInputs(shape).get(0), (int) begin[0], rest);
  }

  private static List<NodeDef> rewrite(NodeDef fill, Match m, int rank, DataType type) {
    String p = fill.getName() + "/batch_";
    long[] begin = new long[rank];
    long[] size = new long[rank];
    Arrays.fill(size, 1);
    size[m.axis()] = -1;
    long[] column = new long[m.rest().length + 1];
    Arrays.fill(column, 1);
    column[0] = -1;
    long[] block = new long[m.rest().length + 1];
    block[0] = 1;
    System.arraycopy(m.rest(), 0, block, 1, m.rest().length);
    List<NodeDef> nodes = new ArrayList<>();
    nodes.add(ints(p + "begin", begin));
    nodes.add(ints(p + "size", size));
    nodes.add(ints(p + "column_shape", column));
    nodes.add(ints(p + "block_shape", block));
    nodes.add(TfTensors.constNode(p + "zero", TensorData.ofFloats(new long[0], new float[] {0f})));
    nodes.add(op(p + "slice", "Slice", type, m.batchOf().toString(), p + "begin", p + "size").putAttr("Index", typeAttr(DataType.DT_INT32)).build());
    nodes.add(op(p + "column", "Reshape", type, p + "slice", p + "column_shape").putAttr("Tshape", typeAttr(DataType.DT_INT32)).build());
    nodes.add(op(p + "zeros", "Mul", type, p + "column", p + "zero").build());
    nodes.add(op(p + "block", "Fill", type, p + "block_shape", TfGraph.dataInputs(fill).get(1).toString())
        .putAttr("index_type", typeAttr(DataType.DT_INT32)).build());
    nodes.add(op(fill.getName(), "AddV2", type, p + "zeros", p + "block").build()); // the Fill's name: its readers stay as they are
    return nodes;
  }

  private static NodeDef.Builder op(String name, String op, DataType type, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).putAttr("T", typeAttr(type));
  }

  private static NodeDef ints(String name, long[] values) {
    return TfTensors.constNode(name, TensorData.ofInts(new long[] {values.length}, Arrays.stream(values).mapToInt(Math::toIntExact).toArray()));
  }

  private static AttrValue typeAttr(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  private static long attrI(NodeDef n, String name) {
    return n.containsAttr(name) ? n.getAttrOrThrow(name).getI() : 0;
  }

  /** A Const holding the single integer {@code value} (scalar or one element). */
  private static boolean isInts(NodeDef n, long value) {
    long[] v = constInts(n);
    return v != null && v.length == 1 && v[0] == value;
  }

  private static long[] constInts(NodeDef n) {
    if (n == null || !n.getOp().equals("Const")) {
      return null;
    }
    TensorData raw = TfTensors.rawConstValue(n);
    if (raw != null) {
      return raw.type() == dev.tflite.convert.ir.DType.INT32 || raw.type() == dev.tflite.convert.ir.DType.INT64 ? raw.longs() : null;
    }
    var t = n.getAttrOrThrow("value").getTensor();
    if (t.getIntValCount() == 1) {
      return new long[] {t.getIntVal(0)};
    }
    if (t.getInt64ValCount() == 1) {
      return new long[] {t.getInt64Val(0)};
    }
    return null;
  }
}
