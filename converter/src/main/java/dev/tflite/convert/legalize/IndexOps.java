package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import java.util.List;

/** Reductions beyond Sum/Mean/Max, arg-min/max, top-k, cumulative sums and one-hot encoding. */
final class IndexOps {
  private IndexOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Min", ctx -> MathOps.reduce(ctx, OpType.REDUCE_MIN));
    r.register("Prod", ctx -> MathOps.reduce(ctx, OpType.REDUCE_PROD));
    r.register("Any", ctx -> MathOps.reduce(ctx, OpType.REDUCE_ANY));
    r.register("All", ctx -> MathOps.reduce(ctx, OpType.REDUCE_ALL));
    r.register("ArgMax", ctx -> argMinMax(ctx, true));
    r.register("ArgMin", ctx -> argMinMax(ctx, false));
    r.register("TopKV2", IndexOps::topK);
    r.register("Cumsum", IndexOps::cumsum);
    r.register("MatrixDiag", ctx -> NnOps.unary(ctx, OpType.MATRIX_DIAG));
    r.register("OneHot", IndexOps::oneHot);
  }

  private static int axis(LegalizeContext ctx, int input, int rank) {
    long axis = ctx.constantInput(input, "axis").longs()[0];
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static void argMinMax(LegalizeContext ctx, boolean max) {
    int axis = axis(ctx, 1, ctx.inputInfo(0).shape().length);
    DType out = DType.fromTensorFlow(ctx.hasAttr("output_type") ? ctx.attr("output_type").getType() : org.tensorflow.proto.DataType.DT_INT64);
    if (out != DType.INT32 && out != DType.INT64) {
      throw new UnsupportedNodeException("output_type must be int32 or int64");
    }
    ctx.emit(max ? OpType.ARG_MAX : OpType.ARG_MIN, List.of(ctx.input(0), ctx.constant("axis", ConstantLayouts.int32Vector(new long[] {axis}))),
        ctx.output(0), new OpOptions.ArgMinMax(max, out));
  }

  /** TensorFlow Lite's TOPK_V2 always sorts, and writes int32 indices as TensorFlow does. */
  private static void topK(LegalizeContext ctx) {
    if (!ctx.boolAttr("sorted", true)) {
      throw new UnsupportedNodeException("sorted=false is not supported (TensorFlow Lite always returns the top k sorted)");
    }
    long k = ctx.constantInput(1, "k").longs()[0];
    ctx.emit(OpType.TOPK_V2, List.of(ctx.input(0), ctx.constant("k", dev.tflite.convert.ir.TensorData.ofInts(new long[0], new int[] {(int) k}))),
        List.of(ctx.output(0), ctx.output(1)), new OpOptions.None());
  }

  private static void cumsum(LegalizeContext ctx) {
    int axis = axis(ctx, 1, ctx.inputInfo(0).shape().length);
    ctx.emit(OpType.CUMSUM, List.of(ctx.input(0), ctx.constant("axis", dev.tflite.convert.ir.TensorData.ofInts(new long[0], new int[] {axis}))),
        ctx.output(0), new OpOptions.Cumsum(ctx.boolAttr("exclusive", false), ctx.boolAttr("reverse", false)));
  }

  private static void oneHot(LegalizeContext ctx) {
    long depth = ctx.constantInput(1, "depth").longs()[0];
    long axis = ctx.hasAttr("axis") ? ctx.attr("axis").getI() : -1;
    ctx.emit(OpType.ONE_HOT, List.of(ctx.input(0), ctx.constant("depth", dev.tflite.convert.ir.TensorData.ofInts(new long[0], new int[] {(int) depth})),
        ctx.input(2), ctx.input(3)), ctx.output(0), new OpOptions.OneHot((int) axis));
  }
}
