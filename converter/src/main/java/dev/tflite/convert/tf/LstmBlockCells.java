package dev.tflite.convert.tf;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Lowers TensorFlow's fused {@code LSTMBlockCell} op (tf.contrib.rnn.LSTMBlockCell, one LSTM step) into the ops it
 * computes, which legalize to builtins: {@code [i, ci, f, o] = split([x, h_prev] · w + b)} (that gate order, checked
 * against TensorFlow's kernel), {@code i = σ(i + cs_prev·wci)}, {@code f = σ(f + forget_bias + cs_prev·wcf)},
 * {@code cs = tanh(ci)·i + cs_prev·f} clipped to ±cell_clip when cell_clip > 0, {@code o = σ(o + cs·wco)},
 * {@code h = tanh(cs)·o}; the peephole terms only with use_peephole. Outputs keep the op's order: i, cs, f, o, ci, co, h.
 */
public final class LstmBlockCells {
  private LstmBlockCells() {}

  public static TfGraph lower(TfGraph graph) {
    if (graph.nodes().stream().noneMatch(n -> n.getOp().equals("LSTMBlockCell"))) {
      return graph;
    }
    Map<String, String> replaced = new HashMap<>();
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : graph.nodes()) {
      if (n.getOp().equals("LSTMBlockCell")) {
        nodes.addAll(new Lowering(n, replaced).nodes);
      } else {
        nodes.add(n);
      }
    }
    List<NodeDef> rewired = new ArrayList<>();
    for (NodeDef n : nodes) {
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        b.addInput(TensorName.isControl(in) ? in : replaced.getOrDefault(TensorName.parse(in).toString(), in));
      }
      rewired.add(b.build());
    }
    List<SignatureTensor> outputs = graph.outputs().stream()
        .map(o -> replaced.containsKey(o.tensor().toString()) ? o.withTensor(TensorName.parse(replaced.get(o.tensor().toString()))) : o)
        .toList();
    return graph.rebuilt(rewired, graph.inputs(), outputs);
  }

  /** The ops of one cell, named under the cell's name. */
  private static final class Lowering {
    private final List<NodeDef> nodes = new ArrayList<>();
    private final String prefix;
    private final DataType type;

    Lowering(NodeDef cell, Map<String, String> replaced) {
      prefix = cell.getName() + "/";
      type = cell.getAttrOrThrow("T").getType();
      List<TensorName> in = TfGraph.dataInputs(cell);
      String x = in.get(0).toString();
      String csPrev = in.get(1).toString();
      String hPrev = in.get(2).toString();
      String w = in.get(3).toString();
      String b = in.get(7).toString();
      boolean peephole = cell.containsAttr("use_peephole") && cell.getAttrOrThrow("use_peephole").getB();
      float forgetBias = cell.containsAttr("forget_bias") ? cell.getAttrOrThrow("forget_bias").getF() : 1f;
      float clip = cell.containsAttr("cell_clip") ? cell.getAttrOrThrow("cell_clip").getF() : 3f;

      String axis = constant("axis", DType.INT32, 1);
      String xh = node("xh", "ConcatV2", List.of(x, hPrev, axis), Map.of("N", i(2), "Tidx", t(DataType.DT_INT32)));
      String z = node("gates", "BiasAdd", List.of(node("matmul", "MatMul", List.of(xh, w), Map.of()), b), Map.of());
      node("split", "Split", List.of(axis, z), Map.of("num_split", i(4)));
      String split = prefix + "split"; // its outputs 0..3 are the gates
      String iPre = split + ":0";
      String fPre = node("forget_bias", "AddV2", List.of(split + ":2", constant("forget_bias_value", null, forgetBias)), Map.of());
      if (peephole) {
        iPre = node("i_peephole", "AddV2", List.of(iPre, node("i_peep", "Mul", List.of(csPrev, in.get(4).toString()), Map.of())), Map.of());
        fPre = node("f_peephole", "AddV2", List.of(fPre, node("f_peep", "Mul", List.of(csPrev, in.get(5).toString()), Map.of())), Map.of());
      }
      String iGate = node("i", "Sigmoid", List.of(iPre), Map.of());
      String fGate = node("f", "Sigmoid", List.of(fPre), Map.of());
      String ci = node("ci", "Tanh", List.of(split + ":1"), Map.of());
      String cs = node("cs", "AddV2", List.of(node("ci_i", "Mul", List.of(ci, iGate), Map.of()),
          node("cs_f", "Mul", List.of(csPrev, fGate), Map.of())), Map.of());
      if (clip > 0) {
        cs = node("cs_clipped", "Minimum", List.of(node("cs_floor", "Maximum", List.of(cs, constant("minus_clip", null, -clip)), Map.of()),
            constant("clip", null, clip)), Map.of());
      }
      String oPre = split + ":3";
      if (peephole) {
        oPre = node("o_peephole", "AddV2", List.of(oPre, node("o_peep", "Mul", List.of(cs, in.get(6).toString()), Map.of())), Map.of());
      }
      String o = node("o", "Sigmoid", List.of(oPre), Map.of());
      String co = node("co", "Tanh", List.of(cs), Map.of());
      String h = node("h", "Mul", List.of(co, o), Map.of());
      String[] outputs = {iGate, cs, fGate, o, ci, co, h};
      for (int k = 0; k < outputs.length; k++) {
        replaced.put(cell.getName() + ":" + k, outputs[k]);
      }
    }

    private String node(String name, String op, List<String> inputs, Map<String, AttrValue> attrs) {
      NodeDef.Builder b = NodeDef.newBuilder().setName(prefix + name).setOp(op).addAllInput(inputs).putAllAttr(attrs);
      if (!attrs.containsKey("T")) {
        b.putAttr("T", t(type));
      }
      if (op.equals("MatMul")) {
        b.putAttr("transpose_a", AttrValue.newBuilder().setB(false).build()).putAttr("transpose_b", AttrValue.newBuilder().setB(false).build());
      } else if (op.equals("BiasAdd")) {
        b.putAttr("data_format", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC")).build());
      }
      nodes.add(b.build());
      return prefix + name + ":0";
    }

    /** A scalar: int32 when {@code intType} is given, else of the cell's float type. */
    private String constant(String name, DType intType, float value) {
      TensorData data;
      if (intType != null) {
        data = TensorData.ofInts(new long[0], new int[] {(int) value});
      } else if (type == DataType.DT_FLOAT) {
        data = TensorData.ofFloats(new long[0], new float[] {value});
      } else {
        DType d = DType.fromTensorFlow(type);
        ByteBuffer buf = ByteBuffer.allocate(d.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (d.byteSize() == 8) {
          buf.putDouble(value);
        } else {
          buf.putShort(dev.tflite.convert.quantize.Half.fromFloat(value));
        }
        data = new TensorData(d, new long[0], buf.array());
      }
      nodes.add(TfTensors.constNode(prefix + name, data));
      return prefix + name + ":0";
    }

    private static AttrValue i(long v) {
      return AttrValue.newBuilder().setI(v).build();
    }

    private static AttrValue t(DataType v) {
      return AttrValue.newBuilder().setType(v).build();
    }
  }
}
