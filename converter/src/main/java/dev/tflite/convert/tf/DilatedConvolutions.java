package dev.tflite.convert.tf;

import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Rewrites every Conv2D / DepthwiseConv2dNative / Conv3D with dilations > 1 (stride 1, SAME or VALID, channels last)
 * into the form
 * TensorFlow's Python layers run it in: SpaceToBatchND → the same convolution undilated with VALID padding →
 * BatchToSpaceND. TensorFlow's plain CPU kernels (the ones it uses without oneDNN, e.g. on a CPU without AVX-512)
 * refuse dilations, while the SpaceToBatchND form runs on every CPU and gives the same values (it evaluates the same
 * products and sums, only the input is regrouped). The BatchToSpaceND node takes the convolution's name, so every
 * reader and every calibration range keyed by that name is unchanged; {@code FoldDilatedConvolution} turns the
 * pattern back into one dilated CONV_2D / DEPTHWISE_CONV_2D / CONV_3D, as the official converter does for the 2-D ones
 * (Keras writes a dilated Conv3D in this form too, over three spatial dimensions).
 *
 * <p>Paddings and crops follow {@code tf.nn.with_space_to_batch}: the base paddings turn SAME into VALID ((k - 1) * d
 * in total, the smaller half first), and the end is padded further up to a multiple of the dilation, cropped again after.
 */
public final class DilatedConvolutions {
  private static final List<String> CONVOLUTIONS = List.of("Conv2D", "DepthwiseConv2dNative", "Conv3D");

  private DilatedConvolutions() {}

  /** The graph with its dilated convolutions in SpaceToBatchND form; the same graph when it has none. */
  public static TfGraph asSpaceToBatch(TfGraph graph) {
    if (graph.nodes().stream().noneMatch(DilatedConvolutions::rewritable)) {
      return graph;
    }
    Map<TensorName, TensorInfo> infos = ShapeInference.infer(graph);
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : graph.nodes()) {
      long[] input = rewritable(n) ? shape(infos, TfGraph.dataInputs(n).get(0)) : null;
      long[] filter = input == null ? null : shape(infos, TfGraph.dataInputs(n).get(1));
      int rank = rewritable(n) ? spatialDims(n) + 2 : 0;
      if (input != null && filter != null && input.length == rank && filter.length == rank && java.util.Arrays.stream(input, 1, rank - 1).allMatch(v -> v > 0)) {
        nodes.addAll(rewrite(n, input, filter));
      } else {
        nodes.add(n);
      }
    }
    return graph.withNodes(nodes);
  }

  /** A dilated NHWC convolution with stride 1 and SAME or VALID padding (the only ones the SpaceToBatchND form expresses). */
  static boolean rewritable(NodeDef n) {
    if (!CONVOLUTIONS.contains(n.getOp()) || !n.containsAttr("dilations")) {
      return false;
    }
    int rank = spatialDims(n) + 2;
    List<Long> d = n.getAttrOrThrow("dilations").getList().getIList();
    List<Long> s = n.containsAttr("strides") ? n.getAttrOrThrow("strides").getList().getIList() : java.util.Collections.nCopies(rank, 1L);
    String channelsLast = rank == 5 ? "NDHWC" : "NHWC";
    String format = n.containsAttr("data_format") ? n.getAttrOrThrow("data_format").getS().toStringUtf8() : channelsLast;
    String padding = n.containsAttr("padding") ? n.getAttrOrThrow("padding").getS().toStringUtf8() : "";
    return d.size() == rank && d.subList(1, rank - 1).stream().anyMatch(v -> v > 1) && d.get(0) == 1 && d.get(rank - 1) == 1
        && s.size() == rank && s.stream().allMatch(v -> v == 1) && format.equals(channelsLast) && (padding.equals("SAME") || padding.equals("VALID"));
  }

  /** Spatial dimensions of the convolution: three for Conv3D, two otherwise. */
  private static int spatialDims(NodeDef n) {
    return n.getOp().equals("Conv3D") ? 3 : 2;
  }

  private static long[] shape(Map<TensorName, TensorInfo> infos, TensorName t) {
    TensorInfo info = infos.get(t);
    return info == null ? null : info.shape();
  }

  private static List<NodeDef> rewrite(NodeDef conv, long[] input, long[] filter) {
    List<Long> d = conv.getAttrOrThrow("dilations").getList().getIList();
    boolean same = conv.getAttrOrThrow("padding").getS().toStringUtf8().equals("SAME");
    int spatial = spatialDims(conv);
    int[] block = new int[spatial];
    for (int i = 0; i < spatial; i++) {
      block[i] = Math.toIntExact(d.get(1 + i));
    }
    int[] paddings = new int[2 * spatial];
    int[] crops = new int[2 * spatial];
    for (int i = 0; i < spatial; i++) {
      int size = Math.toIntExact(input[1 + i]);
      int total = same ? Math.toIntExact((filter[i] - 1) * block[i]) : 0;
      int start = total / 2;
      int end = total - start;
      int extra = Math.floorMod(-(size + start + end), block[i]);
      paddings[2 * i] = start;
      paddings[2 * i + 1] = end + extra;
      crops[2 * i + 1] = extra;
    }
    String name = conv.getName();
    List<String> inputs = conv.getInputList();
    DataType type = conv.getAttrOrThrow("T").getType();
    NodeDef blockShape = TfTensors.constNode(name + "/space_to_batch/block_shape", TensorData.ofInts(new long[] {spatial}, block));
    NodeDef padding = TfTensors.constNode(name + "/space_to_batch/paddings", TensorData.ofInts(new long[] {spatial, 2}, paddings));
    NodeDef crop = TfTensors.constNode(name + "/batch_to_space/crops", TensorData.ofInts(new long[] {spatial, 2}, crops));
    NodeDef.Builder spaceToBatch = NodeDef.newBuilder().setName(name + "/space_to_batch").setOp("SpaceToBatchND").setDevice(conv.getDevice())
        .addInput(inputs.get(0)).addInput(blockShape.getName()).addInput(padding.getName())
        .putAttr("T", typeAttr(type)).putAttr("Tblock_shape", typeAttr(DataType.DT_INT32)).putAttr("Tpaddings", typeAttr(DataType.DT_INT32));
    inputs.stream().filter(TensorName::isControl).forEach(spaceToBatch::addInput);
    NodeDef undilated = conv.toBuilder().setName(name + "/undilated").clearInput().addInput(spaceToBatch.getName()).addInput(inputs.get(1))
        .putAttr("padding", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("VALID")).build())
        .putAttr("dilations", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllI(java.util.Collections.nCopies(spatial + 2, 1L))).build())
        .build();
    NodeDef batchToSpace = NodeDef.newBuilder().setName(name).setOp("BatchToSpaceND").setDevice(conv.getDevice())
        .addInput(undilated.getName()).addInput(blockShape.getName()).addInput(crop.getName())
        .putAttr("T", typeAttr(type)).putAttr("Tblock_shape", typeAttr(DataType.DT_INT32)).putAttr("Tcrops", typeAttr(DataType.DT_INT32))
        .build();
    return List.of(blockShape, padding, crop, spaceToBatch.build(), undilated, batchToSpace);
  }

  private static AttrValue typeAttr(DataType type) {
    return AttrValue.newBuilder().setType(type).build();
  }
}
