package dev.tflite.convert.importer.loops;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.importer.loops.LoopValue.ArrayHandle;
import dev.tflite.convert.importer.loops.LoopValue.Tensor;
import dev.tflite.convert.importer.loops.LoopValue.TensorList;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import dev.tflite.convert.tf.TfTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * TF2 TensorList and TF1 TensorArray ops over lists the unroller holds: reading a slot is the slot's tensor, writing
 * replaces it, building a list from a tensor is an Unpack, stacking is a Pack. Indices must be known while unrolling
 * (they are the loop counter). A TF1 TensorArray's contents travel with its flow tensor, as in TensorFlow.
 */
final class TensorListOps {
  private static final Set<String> OPS = Set.of("TensorListReserve", "EmptyTensorList", "TensorListFromTensor",
      "TensorListGetItem", "TensorListSetItem", "TensorListStack", "TensorListLength", "TensorListElementShape",
      "TensorListPushBack", "TensorListPopBack", "TensorListGather", "TensorListResize",
      "TensorArrayV3", "TensorArrayScatterV3", "TensorArrayReadV3", "TensorArrayWriteV3", "TensorArrayGatherV3",
      "TensorArraySizeV3", "TensorArrayCloseV3");

  private final LoopEvaluator loop;

  TensorListOps(LoopEvaluator loop) {
    this.loop = loop;
  }

  boolean handles(String op) {
    return OPS.contains(op);
  }

  static boolean isListOp(String op) {
    return OPS.contains(op);
  }

  void apply(NodeDef node, boolean write) {
    List<String> in = TfGraph.dataInputs(node).stream().map(TensorName::toString).toList();
    String out = node.getName();
    switch (node.getOp()) {
      case "TensorListReserve" -> loop.bind(out + ":0", TensorList.empty(index(node, in.get(1)), shapeValue(in.get(0)), type(node, "element_dtype")));
      case "EmptyTensorList" -> loop.bind(out + ":0", TensorList.empty(0, shapeValue(in.get(0)), type(node, "element_dtype")));
      case "TensorListFromTensor" -> loop.bind(out + ":0", unstack(node, in.get(0), shapeValue(in.get(1)), type(node, "element_dtype"), write));
      case "TensorListGetItem" -> loop.bind(out + ":0", new Tensor(item(node, list(node, in.get(0)), index(node, in.get(1)), write), null));
      case "TensorListSetItem" -> loop.bind(out + ":0", set(node, list(node, in.get(0)), index(node, in.get(1)), in.get(2)));
      case "TensorListPushBack" -> {
        TensorList l = list(node, in.get(0));
        loop.bind(out + ":0", l.with(l.elements().size(), tensor(node, in.get(1))));
      }
      case "TensorListPopBack" -> {
        TensorList l = list(node, in.get(0));
        if (l.elements().isEmpty()) {
          throw problem(node, "pops from an empty list");
        }
        loop.bind(out + ":1", new Tensor(item(node, l, l.elements().size() - 1, write), null));
        loop.bind(out + ":0", l.resized(l.elements().size() - 1));
      }
      case "TensorListResize" -> loop.bind(out + ":0", list(node, in.get(0)).resized(index(node, in.get(1))));
      case "TensorListLength" -> constant(out, DType.INT32, new long[0], new int[] {list(node, in.get(0)).elements().size()}, write);
      case "TensorListElementShape" -> elementShape(node, list(node, in.get(0)), write);
      case "TensorListStack" -> stack(node, list(node, in.get(0)), null, write);
      case "TensorListGather" -> stack(node, list(node, in.get(0)), indices(node, in.get(1)), write);
      case "TensorArrayV3" -> {
        loop.bind(out + ":0", new ArrayHandle(out));
        long[] shape = node.containsAttr("element_shape") && !node.getAttrOrThrow("element_shape").getShape().getUnknownRank()
            ? node.getAttrOrThrow("element_shape").getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray() : null;
        loop.bind(out + ":1", TensorList.empty(index(node, in.get(0)), shape, type(node, "dtype")));
      }
      case "TensorArrayScatterV3" -> {
        TensorList flow = list(node, in.get(3));
        long[] at = indices(node, in.get(1));
        TensorList all = unstack(node, in.get(2), flow.elementShape(), flow.elementType(), write);
        if (all.elements().size() != at.length) {
          throw problem(node, "scatters " + all.elements().size() + " rows to " + at.length + " indices");
        }
        for (int i = 0; i < at.length; i++) {
          flow = flow.with((int) at[i], all.elements().get(i));
        }
        loop.bind(out + ":0", flow);
      }
      case "TensorArrayReadV3" -> loop.bind(out + ":0", new Tensor(item(node, list(node, in.get(2)), index(node, in.get(1)), write), null));
      case "TensorArrayWriteV3" -> loop.bind(out + ":0", set(node, list(node, in.get(3)), index(node, in.get(1)), in.get(2)));
      case "TensorArrayGatherV3" -> stack(node, list(node, in.get(2)), indices(node, in.get(1)), write);
      case "TensorArraySizeV3" -> constant(out, DType.INT32, new long[0], new int[] {list(node, in.get(1)).elements().size()}, write);
      case "TensorArrayCloseV3" -> { } // nothing to release
      default -> throw new IllegalStateException(node.getOp());
    }
  }

  private TensorList set(NodeDef node, TensorList list, int index, String item) {
    boolean grows = node.containsAttr("resize_if_index_out_of_bounds") && node.getAttrOrThrow("resize_if_index_out_of_bounds").getB();
    if (index < 0 || (index >= list.elements().size() && !grows && !node.getOp().equals("TensorArrayWriteV3"))) {
      throw problem(node, "writes slot " + index + " of a list of " + list.elements().size());
    }
    return list.with(index, tensor(node, item));
  }

  /** The tensor in slot {@code index}; a slot never written reads as zeros, which needs a known element shape. */
  private String item(NodeDef node, TensorList list, int index, boolean write) {
    if (index < 0 || index >= list.elements().size()) {
      throw problem(node, "reads slot " + index + " of a list of " + list.elements().size());
    }
    String element = list.elements().get(index);
    return element != null ? element : zeros(node, list, index, write);
  }

  private String zeros(NodeDef node, TensorList list, int index, boolean write) {
    long[] shape = list.elementShape();
    if (shape == null || Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw problem(node, "reads slot " + index + ", which was never written, and its element shape "
          + (shape == null ? "is unknown" : Arrays.toString(shape) + " is not fully known") + " (set <inputShapes> to fix the batch)");
    }
    DType type = DType.fromTensorFlow(list.elementType());
    String name = node.getName() + "/unwritten_" + index;
    if (write) {
      long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      loop.emit(TfTensors.constNode(name, new TensorData(type, shape, new byte[Math.toIntExact(count * type.byteSize())])));
    }
    return name + ":0";
  }

  private TensorList unstack(NodeDef node, String tensor, long[] elementShape, DataType type, boolean write) {
    long[] shape = loop.shapeOf(tensor);
    if (shape == null || shape.length == 0 || shape[0] < 0) {
      throw new ConversionException("node '" + node.getName() + "' (" + node.getOp() + ") splits '" + tensor
          + "' into a list along a dimension of unknown size " + (shape == null ? "" : Arrays.toString(shape))
          + ", the sequence length: set <inputShapes> with the sequence length, or export the model with a fixed-length input");
    }
    int n = Math.toIntExact(shape[0]);
    String name = node.getName() + "/unstack";
    if (write) {
      loop.emit(NodeDef.newBuilder().setName(name).setOp("Unpack").addInput(tensor(node, tensor))
          .putAttr("num", AttrValue.newBuilder().setI(n).build())
          .putAttr("axis", AttrValue.newBuilder().setI(0).build())
          .putAttr("T", AttrValue.newBuilder().setType(type).build()).build());
    }
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      elements.add(name + ":" + i);
    }
    long[] rest = Arrays.copyOfRange(shape, 1, shape.length);
    return new TensorList(elements, elementShape == null ? rest : elementShape, type);
  }

  private void stack(NodeDef node, TensorList list, long[] indices, boolean write) {
    List<String> parts = new ArrayList<>();
    int n = indices == null ? list.elements().size() : indices.length;
    for (int i = 0; i < n; i++) {
      parts.add(item(node, list, indices == null ? i : (int) indices[i], write));
    }
    if (parts.isEmpty()) {
      throw problem(node, "stacks an empty list (a loop that ran no iteration)");
    }
    if (write) {
      NodeDef.Builder pack = NodeDef.newBuilder().setName(node.getName()).setOp("Pack")
          .putAttr("N", AttrValue.newBuilder().setI(parts.size()).build())
          .putAttr("axis", AttrValue.newBuilder().setI(0).build())
          .putAttr("T", AttrValue.newBuilder().setType(list.elementType()).build());
      parts.forEach(pack::addInput);
      loop.emit(pack.build());
    }
    loop.bind(node.getName() + ":0", new Tensor(node.getName() + ":0", null));
  }

  private void elementShape(NodeDef node, TensorList list, boolean write) {
    long[] shape = list.elementShape();
    if (shape == null) {
      throw problem(node, "asks for the element shape, which is unknown");
    }
    int[] v = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    constant(node.getName(), DType.INT32, new long[] {v.length}, v, write);
  }

  private void constant(String name, DType type, long[] shape, int[] values, boolean write) {
    if (write) {
      loop.emit(TfTensors.constNode(name, TensorData.ofInts(shape, values)));
    }
    long[] known = Arrays.stream(values).asLongStream().toArray();
    loop.bind(name + ":0", new Tensor(name + ":0", new KnownInts(shape, known)));
  }

  private TensorList list(NodeDef node, String ref) {
    LoopValue v = loop.value(ref);
    if (v instanceof TensorList l) {
      return l;
    }
    throw problem(node, "reads '" + ref + "', which the unroller cannot follow to the list it stands for (a list passed"
        + " through an op other than Identity, a loop or a tensor list op)");
  }

  private String tensor(NodeDef node, String ref) {
    LoopValue v = loop.value(ref);
    if (v instanceof Tensor t) {
      return t.ref();
    }
    throw problem(node, "stores a list inside a list (nested tensor lists are not supported)");
  }

  private int index(NodeDef node, String ref) {
    LoopValue v = loop.value(ref);
    if (v instanceof Tensor t && t.known() != null && t.known().isScalar() && t.known().scalarValue() != KnownInts.UNKNOWN) {
      return Math.toIntExact(t.known().scalarValue());
    }
    throw problem(node, "uses index or size '" + ref + "', which is not known before the model runs (it depends on an"
        + " input dimension: set <inputShapes> with the sequence length)");
  }

  private long[] indices(NodeDef node, String ref) {
    LoopValue v = loop.value(ref);
    if (v instanceof Tensor t && t.known() != null && t.known().fullyKnown()) {
      return t.known().values();
    }
    throw problem(node, "uses indices '" + ref + "', which are not known before the model runs (set <inputShapes> with the sequence length)");
  }

  /** An element shape given as an input: -1 for unknown rank becomes null. */
  private long[] shapeValue(String ref) {
    LoopValue v = loop.value(ref);
    if (v instanceof Tensor t && t.known() != null && t.known().shape().length == 1) {
      long[] s = t.known().values().clone();
      for (int i = 0; i < s.length; i++) {
        s[i] = s[i] == KnownInts.UNKNOWN ? -1 : s[i];
      }
      return s;
    }
    return null;
  }

  private static DataType type(NodeDef node, String attr) {
    return node.getAttrOrThrow(attr).getType();
  }

  private ConversionException problem(NodeDef node, String what) {
    return new ConversionException("node '" + node.getName() + "' (" + node.getOp() + ") " + what);
  }
}
