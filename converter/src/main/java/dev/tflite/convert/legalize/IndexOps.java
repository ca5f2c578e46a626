package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import java.util.List;

/** Reductions beyond Sum/Mean/Max, arg-min/max, top-k, cumulative sums, one-hot encoding and matrix bands. */
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
    r.register("MatrixDiagV2", IndexOps::matrixDiagV2);
    r.register("MatrixDiagV3", IndexOps::matrixDiagV2);
    r.register("OneHot", IndexOps::oneHot);
    r.register("MatrixBandPart", IndexOps::matrixBandPart);
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

  /**
   * band_part(x, lower, upper) keeps x[..., m, n] where (lower < 0 or m - n <= lower) and (upper < 0 or n - m <= upper).
   * With a constant x (the attention causal mask, band_part(ones, -1, 0)) constant folding has already replaced the
   * node by its value; a computed x is multiplied by the 0/1 mask built here for its static [M, N] (broadcast over the
   * batch dimensions up to rank 4, written at full size beyond, where the 2.6 MUL kernel stops broadcasting). One MUL
   * where the official converter writes five ops (NEG, GREATER_EQUAL, LOGICAL_AND, ZEROS_LIKE, SELECT_V2), and it
   * quantizes (0 and 1 are exact in int8); it differs from TensorFlow only for an infinite or NaN element outside the
   * band, which becomes NaN instead of 0.
   */
  private static void matrixBandPart(LegalizeContext ctx) {
    long lower = ctx.constantInput(1, "num_lower").longs()[0];
    long upper = ctx.constantInput(2, "num_upper").longs()[0];
    long[] shape = ctx.inputInfo(0).shape();
    if (shape == null || shape.length < 2 || !dev.tflite.convert.ir.Shapes.isFullyKnown(shape)) {
      throw new UnsupportedNodeException("its input shape is not known at conversion time; configure concrete input shapes");
    }
    DType type = ctx.input(0).type();
    if (type != DType.FLOAT32 && type != DType.INT32) {
      throw new UnsupportedNodeException("only float32 and int32 inputs are supported, not " + type);
    }
    int rows = (int) shape[shape.length - 2];
    int cols = (int) shape[shape.length - 1];
    long[] maskShape = shape.length > 4 ? shape.clone() : new long[] {rows, cols};
    int count = (int) dev.tflite.convert.ir.Shapes.elementCount(maskShape);
    float[] mask = new float[count];
    for (int i = 0; i < count; i++) {
      int m = (i / cols) % rows;
      int n = i % cols;
      mask[i] = (lower < 0 || m - n <= lower) && (upper < 0 || n - m <= upper) ? 1f : 0f;
    }
    dev.tflite.convert.ir.TensorData maskData = dev.tflite.convert.ir.TensorData.ofFloats(maskShape, mask);
    if (type == DType.INT32) {
      int[] ints = new int[count];
      for (int i = 0; i < count; i++) {
        ints[i] = (int) mask[i];
      }
      maskData = dev.tflite.convert.ir.TensorData.ofInts(maskShape, ints);
    }
    ctx.emit(OpType.MUL, List.of(ctx.input(0), ctx.constant("band_mask", maskData)), ctx.output(0), new OpOptions.Mul(dev.tflite.convert.ir.Activation.NONE));
  }

  /**
   * tf.linalg.diag as TensorFlow 2 writes it (MatrixDiagV2/V3: diagonal offsets k, output rows and columns, padding
   * value): MATRIX_DIAG when it is the plain case, the main diagonal (k = 0) of a square matrix padded with zeros;
   * V3's alignment only matters for other diagonals.
   */
  private static void matrixDiagV2(LegalizeContext ctx) {
    long[] k = ctx.constantInput(1, "k").longs();
    long rows = ctx.constantInput(2, "num_rows").longs()[0];
    long cols = ctx.constantInput(3, "num_cols").longs()[0];
    double padding = ctx.constantInput(4, "padding_value").type() == DType.FLOAT32 ? ctx.constantInput(4, "padding_value").floats()[0]
        : ctx.constantInput(4, "padding_value").longs()[0];
    long[] in = ctx.inputInfo(0).shape();
    long n = in == null || in.length == 0 ? -1 : in[in.length - 1];
    boolean mainDiagonal = java.util.Arrays.stream(k).allMatch(v -> v == 0);
    if (!mainDiagonal || (rows != -1 && rows != n) || (cols != -1 && cols != n) || padding != 0) {
      throw new UnsupportedNodeException("only the main diagonal (k = 0) of a square matrix padded with zeros is supported (TensorFlow Lite's "
          + "MATRIX_DIAG), not k = " + java.util.Arrays.toString(k) + ", num_rows = " + rows + ", num_cols = " + cols + ", padding_value = " + padding);
    }
    ctx.emit(OpType.MATRIX_DIAG, List.of(ctx.input(0)), ctx.output(0), new OpOptions.None());
  }
}
