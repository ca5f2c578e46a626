package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.PreparedGraph;
import dev.tflite.convert.tf.TensorInfo;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * What a legalization sees of the node it converts: its inputs as IR tensors (constants materialised on demand),
 * their values when constant, attributes, inferred output types and shapes, and a way to emit operators.
 */
public final class LegalizeContext {
  private final NodeDef node;
  private final List<TensorName> inputs;
  private final PreparedGraph prepared;
  private final Graph graph;
  private final Map<TensorName, Tensor> irTensors;
  private final java.util.function.Function<String, String> unfusedReason;

  LegalizeContext(NodeDef node, PreparedGraph prepared, Graph graph, Map<TensorName, Tensor> irTensors,
      java.util.function.Function<String, String> unfusedReason) {
    this.unfusedReason = unfusedReason;
    this.node = node;
    this.inputs = TfGraph.dataInputs(node);
    this.prepared = prepared;
    this.graph = graph;
    this.irTensors = irTensors;
  }

  public NodeDef node() {
    return node;
  }

  public String name() {
    return node.getName();
  }

  public int inputCount() {
    return inputs.size();
  }

  public boolean isConstant(int index) {
    return prepared.constant(inputs.get(index)) != null;
  }

  /** The value of a constant input; fails the node when the input is computed at run time. */
  public TensorData constantInput(int index, String role) {
    TensorData value = prepared.constant(inputs.get(index));
    if (value == null) {
      throw new UnsupportedNodeException("its " + role + " (input " + index + ", '" + inputs.get(index) + "') must be a constant, but it is computed at run time");
    }
    return value;
  }

  /** The TensorFlow tensor an input reads ("node:index"). */
  public String inputName(int index) {
    return inputs.get(index).toString();
  }

  public Graph graph() {
    return graph;
  }

  /** The IR tensor for an input; constants become constant tensors the first time they are read. */
  public Tensor input(int index) {
    TensorName name = inputs.get(index);
    Tensor t = irTensors.get(name);
    if (t == null) {
      TensorData value = prepared.constant(name);
      if (value == null) {
        throw new IllegalStateException("input " + name + " of " + node.getName() + " has not been converted yet");
      }
      t = graph.newConstant(name.node(), value, name.node());
      irTensors.put(name, t);
    }
    return t;
  }

  public TensorInfo inputInfo(int index) {
    return prepared.info(inputs.get(index));
  }

  public long[] outputShape(int index) {
    return prepared.info(new TensorName(node.getName(), index)).shape();
  }

  /** Which dimensions of an output follow the model's dynamic input dimensions. */
  public boolean[] outputDynamic(int index) {
    return prepared.dynamic(new TensorName(node.getName(), index));
  }

  /** The IR tensor standing for the node's output {@code index}, created with the inferred type and shape. */
  public Tensor output(int index) {
    TensorName name = new TensorName(node.getName(), index);
    Tensor t = irTensors.get(name);
    if (t == null) {
      TensorInfo info = prepared.info(name);
      DType type = DType.fromTensorFlow(info.type());
      if (type == null) {
        throw new UnsupportedNodeException("its output has type " + info.type() + ", which TensorFlow Lite conversion does not support");
      }
      if (info.shape() == null) {
        throw new UnsupportedNodeException("TensorFlow cannot infer the shape of its output; configure concrete input shapes");
      }
      t = graph.newTensor(index == 0 ? node.getName() : node.getName() + ":" + index, type, info.shape(), node.getName());
      t.setSourceTensor(name.toString());
      t.setDynamicDims(prepared.dynamic(name));
      irTensors.put(name, t);
    }
    return t;
  }

  /** A new constant created by the legalization (transposed weights, a zero bias, an int32 axis...). */
  public Tensor constant(String suffix, TensorData value) {
    return graph.newConstant(node.getName() + "/" + suffix, value, node.getName());
  }

  /** A new intermediate activation between two emitted operators. */
  public Tensor intermediate(String suffix, DType type, long[] shape) {
    Tensor t = graph.newTensor(node.getName() + "/" + suffix, type, shape, node.getName());
    if (shape.length == outputShape(0).length) {
      t.setDynamicDims(outputDynamic(0));
    }
    return t;
  }

  public Operator emit(OpType type, List<Tensor> inputs, List<Tensor> outputs, OpOptions options) {
    return graph.addOperator(new Operator(type, inputs, outputs, options, node.getName()));
  }

  public Operator emit(OpType type, List<Tensor> inputs, Tensor output, OpOptions options) {
    return emit(type, inputs, List.of(output), options);
  }

  /** Why composites of {@code kind} are written in their lowered form for this conversion (a mode's kernels), or null to fuse them. */
  public String unfusedReason(String kind) {
    return unfusedReason.apply(kind);
  }

  /** Output {@code index} is {@code tensor} itself (a pass-through). */
  public void alias(int index, Tensor tensor) {
    irTensors.put(new TensorName(node.getName(), index), tensor);
  }

  /** A note for the conversion result. */
  public void note(String text) {
    graph.addNote(text);
  }

  public boolean hasAttr(String attr) {
    return node.containsAttr(attr);
  }

  public AttrValue attr(String attr) {
    AttrValue v = node.getAttrMap().get(attr);
    if (v == null) {
      throw new UnsupportedNodeException("it lacks the attribute '" + attr + "'");
    }
    return v;
  }

  public String stringAttr(String attr, String fallback) {
    return hasAttr(attr) ? node.getAttrOrThrow(attr).getS().toStringUtf8() : fallback;
  }

  public long[] intsAttr(String attr) {
    return attr(attr).getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  public boolean boolAttr(String attr, boolean fallback) {
    return hasAttr(attr) ? node.getAttrOrThrow(attr).getB() : fallback;
  }

  public float floatAttr(String attr, float fallback) {
    return hasAttr(attr) ? node.getAttrOrThrow(attr).getF() : fallback;
  }
}
