package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;

/** Slicing, stacking, splitting, tiling and re-layout ops, and batched matrix products. */
final class LayoutOps {
  private LayoutOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("StridedSlice", LayoutOps::stridedSlice);
    r.register("Pack", LayoutOps::pack);
    r.register("Unpack", LayoutOps::unpack);
    r.register("Split", LayoutOps::split);
    r.register("SplitV", LayoutOps::splitV);
    r.register("Tile", ctx -> ctx.emit(OpType.TILE, List.of(ctx.input(0), int32(ctx, 1, "multiples")), ctx.output(0), new OpOptions.None()));
    r.register("Fill", ctx -> ctx.emit(OpType.FILL, List.of(int32(ctx, 0, "dims"), ctx.input(1)), ctx.output(0), new OpOptions.None()));
    r.register("ZerosLike", ctx -> NnOps.unary(ctx, OpType.ZEROS_LIKE));
    r.register("OnesLike", LayoutOps::onesLike);
    r.register("BroadcastTo", ctx -> ctx.emit(OpType.BROADCAST_TO, List.of(ctx.input(0), int32(ctx, 1, "shape")), ctx.output(0), new OpOptions.None()));
    r.register("DepthToSpace", ctx -> blocks(ctx, OpType.DEPTH_TO_SPACE));
    r.register("SpaceToDepth", ctx -> blocks(ctx, OpType.SPACE_TO_DEPTH));
    r.register("MirrorPad", LayoutOps::mirrorPad);
    r.register("ReverseV2", LayoutOps::reverse);
    r.register("GatherNd", LayoutOps::gatherNd);
    r.register("BatchMatMul", LayoutOps::batchMatMul);
    r.register("BatchMatMulV2", LayoutOps::batchMatMul);
    r.register("BatchMatMulV3", LayoutOps::batchMatMul);
  }

  /** A shape-like operand (dims, multiples, target shape): a constant, or a shape computed at run time. */
  private static Tensor int32(LegalizeContext ctx, int input, String role) {
    return ShapeOps.int32Operand(ctx, input, role);
  }

  private static int rank(LegalizeContext ctx, int input) {
    long[] shape = ctx.inputInfo(input).shape();
    if (shape == null) {
      throw new UnsupportedNodeException("the rank of input " + input + " is not known at conversion time");
    }
    return shape.length;
  }

  private static int normalized(long axis, int rank) {
    return (int) (axis < 0 ? axis + rank : axis);
  }

  /**
   * Every mask TensorFlow has: the ellipsis is written out as full dimensions and new axes are left out of the slice
   * and restored by a RESHAPE to TensorFlow's output shape, so the STRIDED_SLICE written needs only the begin, end and
   * shrink masks every 2.6 kernel version reads.
   */
  private static void stridedSlice(LegalizeContext ctx) {
    int rank = rank(ctx, 0);
    long[] begin = ctx.constantInput(1, "begin").longs();
    long[] end = ctx.constantInput(2, "end").longs();
    long[] strides = ctx.constantInput(3, "strides").longs();
    long beginMask = ctx.attr("begin_mask").getI();
    long endMask = ctx.attr("end_mask").getI();
    long ellipsisMask = ctx.attr("ellipsis_mask").getI();
    long newAxisMask = ctx.attr("new_axis_mask").getI();
    long shrinkMask = ctx.attr("shrink_axis_mask").getI();
    int n = begin.length;
    int ellipses = Long.bitCount(ellipsisMask & ((1L << n) - 1));
    if (ellipses > 1) {
      throw new UnsupportedNodeException("more than one ellipsis in the slice");
    }
    int newAxes = 0;
    for (int i = 0; i < n; i++) {
      if ((newAxisMask >> i & 1) != 0 && (ellipsisMask >> i & 1) == 0) {
        newAxes++;
      }
    }
    int consumed = n - ellipses - newAxes;
    List<long[]> dense = new ArrayList<>(); // begin, end, stride, beginMasked, endMasked, shrink
    boolean sawEllipsis = false;
    for (int i = 0; i < n; i++) {
      if ((ellipsisMask >> i & 1) != 0) {
        sawEllipsis = true;
        for (int k = 0; k < rank - consumed; k++) {
          dense.add(new long[] {0, 0, 1, 1, 1, 0});
        }
      } else if ((newAxisMask >> i & 1) == 0) {
        dense.add(new long[] {begin[i], end[i], strides[i], beginMask >> i & 1, endMask >> i & 1, shrinkMask >> i & 1});
      }
    }
    while (dense.size() < rank) {
      dense.add(new long[] {0, 0, 1, 1, 1, 0});
    }
    if (dense.size() != rank || (!sawEllipsis && consumed > rank)) {
      throw new UnsupportedNodeException("the slice has more dimensions than its input");
    }
    long[] b = new long[rank];
    long[] e = new long[rank];
    long[] s = new long[rank];
    int bm = 0;
    int em = 0;
    int sm = 0;
    for (int d = 0; d < rank; d++) {
      long[] spec = dense.get(d);
      b[d] = clampToInt(spec[0]);
      e[d] = clampToInt(spec[1]);
      s[d] = spec[2];
      bm |= (int) spec[3] << d;
      em |= (int) spec[4] << d;
      sm |= (int) spec[5] << d;
    }
    List<Tensor> inputs = List.of(ctx.input(0), ctx.constant("begin", ConstantLayouts.int32Vector(b)), ctx.constant("end", ConstantLayouts.int32Vector(e)),
        ctx.constant("strides", ConstantLayouts.int32Vector(s)));
    OpOptions.StridedSlice options = new OpOptions.StridedSlice(bm, em, sm);
    if (newAxes == 0) {
      ctx.emit(OpType.STRIDED_SLICE, inputs, ctx.output(0), options);
      return;
    }
    long[] out = ctx.outputShape(0);
    List<Long> withoutNewAxes = new ArrayList<>();
    int o = 0;
    for (int i = 0; i < n; i++) {
      if ((ellipsisMask >> i & 1) != 0) {
        for (int k = 0; k < rank - consumed; k++) {
          withoutNewAxes.add(out[o++]);
        }
      } else if ((newAxisMask >> i & 1) != 0) {
        o++;
      } else if ((shrinkMask >> i & 1) == 0) {
        withoutNewAxes.add(out[o++]);
      }
    }
    while (o < out.length) {
      withoutNewAxes.add(out[o++]);
    }
    Tensor sliced = ctx.intermediate("slice", ctx.output(0).type(), withoutNewAxes.stream().mapToLong(Long::longValue).toArray());
    ctx.emit(OpType.STRIDED_SLICE, inputs, sliced, options);
    ArrayOps.reshapeTo(ctx, sliced);
  }

  private static long clampToInt(long v) {
    return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  private static void pack(LegalizeContext ctx) {
    int n = ctx.inputCount();
    List<Tensor> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(ctx.input(i));
    }
    int axis = normalized(ctx.hasAttr("axis") ? ctx.attr("axis").getI() : 0, rank(ctx, 0) + 1);
    ctx.emit(OpType.PACK, values, ctx.output(0), new OpOptions.Pack(n, axis));
  }

  private static void unpack(LegalizeContext ctx) {
    int num = (int) ctx.attr("num").getI();
    int axis = normalized(ctx.hasAttr("axis") ? ctx.attr("axis").getI() : 0, rank(ctx, 0));
    ctx.emit(OpType.UNPACK, List.of(ctx.input(0)), outputs(ctx, num), new OpOptions.Unpack(num, axis));
  }

  private static List<Tensor> outputs(LegalizeContext ctx, int count) {
    List<Tensor> outs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outs.add(ctx.output(i));
    }
    return outs;
  }

  private static void split(LegalizeContext ctx) {
    int num = (int) ctx.attr("num_split").getI();
    int axis = normalized(ctx.constantInput(0, "split dimension").longs()[0], rank(ctx, 1));
    ctx.emit(OpType.SPLIT, List.of(ctx.constant("axis", TensorData.ofInts(new long[0], new int[] {axis})), ctx.input(1)), outputs(ctx, num),
        new OpOptions.Split(num));
  }

  /** The split sizes are the ones TensorFlow inferred for each output, so a -1 size is resolved here. */
  private static void splitV(LegalizeContext ctx) {
    int num = (int) ctx.attr("num_split").getI();
    int axis = normalized(ctx.constantInput(2, "split dimension").longs()[0], rank(ctx, 0));
    long[] sizes = new long[num];
    for (int i = 0; i < num; i++) {
      sizes[i] = ctx.outputShape(i)[axis];
    }
    ctx.emit(OpType.SPLIT_V, List.of(ctx.input(0), ctx.constant("size_splits", ConstantLayouts.int32Vector(sizes)),
        ctx.constant("axis", TensorData.ofInts(new long[0], new int[] {axis}))), outputs(ctx, num), new OpOptions.SplitV(num));
  }

  private static void onesLike(LegalizeContext ctx) {
    if (ctx.inputInfo(0).type() != org.tensorflow.proto.DataType.DT_FLOAT) {
      throw new UnsupportedNodeException("only float32 is supported");
    }
    Tensor zeros = ctx.intermediate("zeros", DType.FLOAT32, ctx.outputShape(0));
    ctx.emit(OpType.ZEROS_LIKE, List.of(ctx.input(0)), zeros, new OpOptions.None());
    ctx.emit(OpType.ADD, List.of(zeros, ctx.constant("one", TensorData.ofFloats(new long[0], new float[] {1f}))), ctx.output(0),
        new OpOptions.Add(dev.tflite.convert.ir.Activation.NONE));
  }

  private static void blocks(LegalizeContext ctx, OpType type) {
    SpatialAttributes.requireChannelsLast(ctx, "NHWC");
    int block = (int) ctx.attr("block_size").getI();
    ctx.emit(type, List.of(ctx.input(0)), ctx.output(0), type == OpType.DEPTH_TO_SPACE ? new OpOptions.DepthToSpace(block) : new OpOptions.SpaceToDepth(block));
  }

  private static void mirrorPad(LegalizeContext ctx) {
    String mode = ctx.stringAttr("mode", "REFLECT");
    if (!mode.equals("REFLECT") && !mode.equals("SYMMETRIC")) {
      throw new UnsupportedNodeException("mode " + mode + " is not supported (REFLECT or SYMMETRIC)");
    }
    ctx.emit(OpType.MIRROR_PAD, List.of(ctx.input(0), int32(ctx, 1, "paddings")), ctx.output(0), new OpOptions.MirrorPad(mode.equals("SYMMETRIC")));
  }

  /** The 2.6 REVERSE_V2 kernel reverses one axis; several axes become one REVERSE_V2 each. */
  private static void reverse(LegalizeContext ctx) {
    int rank = rank(ctx, 0);
    long[] axes = ctx.constantInput(1, "axes").longs();
    if (axes.length == 0) {
      ArrayOps.reshapeTo(ctx, ctx.input(0));
      return;
    }
    Tensor current = ctx.input(0);
    for (int i = 0; i < axes.length; i++) {
      Tensor out = i == axes.length - 1 ? ctx.output(0) : ctx.intermediate("reverse" + i, ctx.output(0).type(), ctx.outputShape(0));
      ctx.emit(OpType.REVERSE_V2, List.of(current, ctx.constant("axis" + i, ConstantLayouts.int32Vector(normalized(axes[i], rank)))), out,
          new OpOptions.None());
      current = out;
    }
  }

  private static void gatherNd(LegalizeContext ctx) {
    Tensor indices = ctx.isConstant(1) ? int32(ctx, 1, "indices") : ctx.input(1);
    ctx.emit(OpType.GATHER_ND, List.of(ctx.input(0), indices), ctx.output(0), new OpOptions.None());
  }

  private static void batchMatMul(LegalizeContext ctx) {
    int rank = Math.max(rank(ctx, 0), rank(ctx, 1));
    if (rank > 5) {
      throw new UnsupportedNodeException("operands of rank above 5 are not supported by TensorFlow Lite's BATCH_MATMUL");
    }
    boolean adjX = ctx.boolAttr("adj_x", false);
    boolean adjY = ctx.boolAttr("adj_y", false);
    ctx.emit(OpType.BATCH_MATMUL, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), new OpOptions.BatchMatMul(adjX, adjY));
  }
}
