package dev.tflite.conformance;

import static dev.tflite.conformance.OpConformanceTest.raw;

import dev.tflite.conformance.OpConformanceTest.Row;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Conformance rows for the ops real graphs use beyond convolutions and activations (slicing, stacking, splitting,
 * comparisons and selection, reductions, index ops, re-layout, batched products), one or more per legalization.
 * They run like every {@link OpConformanceTest} row: float against TensorFlow, and int8/int16x8 in
 * {@link IntegerOpsConformanceTest}.
 */
final class ConformanceRows {
  private ConformanceRows() {}

  static Stream<Row> more() {
    long[] nhwc = {1, 9, 9, 4};
    return Stream.of(
        new Row("Square", nhwc, (tf, x, w) -> tf.math.square(x), Map.of("SQUARE", 1)),
        new Row("SquaredDifference", nhwc, (tf, x, w) -> tf.math.squaredDifference(x, tf.constantOf(w.uniform(1, 4))), Map.of("SQUARED_DIFFERENCE", 1)),
        new Row("Pow of a positive base", nhwc, (tf, x, w) -> tf.math.pow(tf.math.add(tf.math.abs(x), tf.constant(0.5f)), tf.constantOf(w.range(0.5, 2, 4))),
            Map.of("POW", 1)),
        new Row("Sin", nhwc, (tf, x, w) -> tf.math.sin(tf.math.mul(x, tf.constant(3f))), Map.of("SIN", 1)),
        new Row("Cos", nhwc, (tf, x, w) -> tf.math.cos(tf.math.mul(x, tf.constant(3f))), Map.of("COS", 1)),
        new Row("Floor", nhwc, (tf, x, w) -> tf.math.floor(tf.math.mul(x, tf.constant(3f))), Map.of("FLOOR", 1)),
        new Row("Ceil", nhwc, (tf, x, w) -> tf.math.ceil(tf.math.mul(x, tf.constant(3f))), Map.of("CEIL", 1)),
        new Row("Round (half to even)", nhwc, (tf, x, w) -> tf.math.round(tf.math.mul(x, tf.constant(3f))), Map.of("ROUND", 1)),
        new Row("Softplus (no 2.6 builtin: max(x,0) + log(1 + exp(-|x|)))", nhwc, (tf, x, w) -> tf.math.softplus(tf.math.mul(x, tf.constant(4f))),
            Map.of("EXP", 1, "LOG", 1)),
        new Row("LogSoftmax", new long[] {1, 10}, (tf, x, w) -> tf.nn.logSoftmax(tf.math.mul(x, tf.constant(3f))), Map.of("LOG_SOFTMAX", 1)),
        new Row("AddN of three", nhwc, (tf, x, w) -> tf.math.addN(List.of(x, tf.nn.relu(x), tf.constantOf(w.uniform(1, 1, 9, 9, 4)))), Map.of("ADD_N", 1)),
        new Row("Greater + SelectV2", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.greater(x, tf.constant(0.3f)), x), Map.of("GREATER", 1, "SELECT_V2", 1)),
        new Row("GreaterEqual", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.greaterEqual(steps(tf, x), tf.constant(1f)), x),
            Map.of("GREATER_EQUAL", 1)),
        new Row("Less", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.less(steps(tf, x), tf.constant(-1f)), x), Map.of("LESS", 1)),
        new Row("LessEqual", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.lessEqual(steps(tf, x), tf.constant(-1f)), x), Map.of("LESS_EQUAL", 1)),
        new Row("Equal", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.equal(steps(tf, x), tf.constant(0f)), x), Map.of("EQUAL", 1)),
        new Row("NotEqual", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.notEqual(steps(tf, x), tf.constant(0f)), x), Map.of("NOT_EQUAL", 1)),
        new Row("LogicalAnd / LogicalOr / LogicalNot", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.logicalOr(
            tf.math.logicalAnd(tf.math.greater(x, tf.constant(-0.5f)), tf.math.less(x, tf.constant(0.5f))),
            tf.math.logicalNot(tf.math.less(x, tf.constant(1.5f)))), x), Map.of("LOGICAL_AND", 1, "LOGICAL_OR", 1, "LOGICAL_NOT", 1)),
        new Row("Select (V1), operands of one shape", nhwc, (tf, x, w) -> select(tf, "Select", tf.math.greater(x, tf.constantOf(w.uniform(1, 1, 9, 9, 4))), x),
            Map.of("SELECT_V2", 1)),
        new Row("Select (V1), rank-1 condition along the batch", nhwc, (tf, x, w) -> select(tf, "Select",
            tf.math.greater(tf.min(x, tf.constant(new int[] {1, 2, 3})), tf.constant(-1.9f)), x), Map.of("SELECT_V2", 1, "REDUCE_MIN", 1)),
        new Row("Min over channels", nhwc, (tf, x, w) -> tf.min(x, tf.constant(new int[] {3})), Map.of("REDUCE_MIN", 1)),
        new Row("Prod over channels keep_dims", nhwc, (tf, x, w) -> tf.prod(x, tf.constant(new int[] {-1}), org.tensorflow.op.core.Prod.keepDims(true)),
            Map.of("REDUCE_PROD", 1)),
        new Row("Any / All over channels", nhwc, (tf, x, w) -> select(tf, "SelectV2", tf.math.logicalAnd(
            tf.any(tf.math.greater(x, tf.constant(1.2f)), tf.constant(new int[] {3}), org.tensorflow.op.core.Any.keepDims(true)),
            tf.all(tf.math.greater(x, tf.constant(-1.8f)), tf.constant(new int[] {3}), org.tensorflow.op.core.All.keepDims(true))), x),
            Map.of("REDUCE_ANY", 1, "REDUCE_ALL", 1)),
        new Row("ArgMax int64 (Keras' default) to float", nhwc, (tf, x, w) -> tf.dtypes.cast(tf.math.argMax(x, tf.constant(3)), TFloat32.class),
            Map.of("ARG_MAX", 1)),
        new Row("ArgMin int32 to float", nhwc, (tf, x, w) -> tf.dtypes.cast(tf.math.argMin(x, tf.constant(-1), TInt32.class), TFloat32.class),
            Map.of("ARG_MIN", 1)),
        new Row("TopKV2 values and indices", nhwc, (tf, x, w) -> {
          var top = tf.nn.topK(x, tf.constant(2), new org.tensorflow.op.nn.TopK.Options[0]);
          return tf.math.add(top.values(), tf.dtypes.cast(top.indices(), TFloat32.class));
        }, Map.of("TOPK_V2", 1)),
        new Row("Cumsum", nhwc, (tf, x, w) -> tf.math.cumsum(x, tf.constant(2)), Map.of("CUMSUM", 1)),
        new Row("Cumsum exclusive reverse", nhwc, (tf, x, w) -> tf.math.cumsum(x, tf.constant(-1), org.tensorflow.op.math.Cumsum.exclusive(true),
            org.tensorflow.op.math.Cumsum.reverse(true)), Map.of("CUMSUM", 1)),
        new Row("MatrixDiag", new long[] {2, 3, 4}, (tf, x, w) -> raw(tf, "MatrixDiag", Map.of(), x), Map.of("MATRIX_DIAG", 1)),
        new Row("OneHot of an ArgMax", nhwc, (tf, x, w) -> tf.oneHot(tf.math.argMax(x, tf.constant(3), TInt32.class), tf.constant(5), tf.constant(2f),
            tf.constant(-1f)), Map.of("ONE_HOT", 1, "ARG_MAX", 1)),
        new Row("StridedSlice begin/end masks, stride 2 and -1", nhwc, (tf, x, w) -> tf.stridedSlice(x, tf.constant(new int[] {0, 1, 0, 1}),
            tf.constant(new int[] {0, 8, 0, 3}), tf.constant(new int[] {1, 2, -1, 1}), StridedSlice.beginMask(0b0101L), StridedSlice.endMask(0b0101L)),
            Map.of("STRIDED_SLICE", 1)),
        new Row("StridedSlice shrink axes (x[:, 3, :, 0])", nhwc, (tf, x, w) -> tf.stridedSlice(x, tf.constant(new int[] {0, 3, 0, 0}),
            tf.constant(new int[] {0, 4, 0, 1}), tf.constant(new int[] {1, 1, 1, 1}), StridedSlice.beginMask(0b0101L), StridedSlice.endMask(0b0101L),
            StridedSlice.shrinkAxisMask(0b1010L)), Map.of("STRIDED_SLICE", 1)),
        new Row("StridedSlice ellipsis and new axis (x[..., None, 1:3])", nhwc, (tf, x, w) -> tf.stridedSlice(x, tf.constant(new int[] {0, 0, 1}),
            tf.constant(new int[] {0, 0, 3}), tf.constant(new int[] {1, 1, 1}), StridedSlice.ellipsisMask(1L), StridedSlice.newAxisMask(2L)),
            Map.of("STRIDED_SLICE", 1, "RESHAPE", 1)),
        new Row("StridedSlice negative bounds (x[:, -3:, :-1])", nhwc, (tf, x, w) -> tf.stridedSlice(x, tf.constant(new int[] {0, -3, 0}),
            tf.constant(new int[] {0, 0, -1}), tf.constant(new int[] {1, 1, 1}), StridedSlice.beginMask(0b101L), StridedSlice.endMask(0b011L)),
            Map.of("STRIDED_SLICE", 1)),
        new Row("Pack on a new last axis", nhwc, (tf, x, w) -> tf.stack(List.of(x, tf.nn.relu(x)), org.tensorflow.op.core.Stack.axis(-1L)), Map.of("PACK", 1)),
        new Row("Unpack along height", nhwc, (tf, x, w) -> {
          var parts = tf.unstack(x, 9L, org.tensorflow.op.core.Unstack.axis(1L)).output();
          return tf.math.sub(parts.get(0), parts.get(8));
        }, Map.of("UNPACK", 1)),
        new Row("Split channels in two", nhwc, (tf, x, w) -> {
          var parts = tf.split(tf.constant(3), x, 2L).output();
          return tf.math.mul(parts.get(0), parts.get(1));
        }, Map.of("SPLIT", 1)),
        new Row("SplitV with a -1 size", nhwc, (tf, x, w) -> {
          var parts = tf.splitV(x, tf.constant(new int[] {1, -1, 3}), tf.constant(1), 3L).output();
          return tf.math.add(parts.get(0), parts.get(1));
        }, Map.of("SPLIT_V", 1)),
        new Row("Tile", nhwc, (tf, x, w) -> tf.tile(x, tf.constant(new int[] {1, 2, 1, 3})), Map.of("TILE", 1)),
        new Row("Fill with a computed value", nhwc, (tf, x, w) -> tf.math.add(x, tf.fill(tf.constant(new int[] {1, 9, 9, 4}),
            tf.max(x, tf.constant(new int[] {0, 1, 2, 3})))), Map.of("FILL", 1)),
        new Row("ZerosLike / OnesLike", nhwc, (tf, x, w) -> tf.math.mul(tf.math.add(x, tf.zerosLike(x)), tf.math.add(tf.onesLike(x), x)),
            Map.of("ZEROS_LIKE", 2)),
        new Row("BroadcastTo", nhwc, (tf, x, w) -> tf.broadcastTo(tf.max(x, tf.constant(new int[] {2}), org.tensorflow.op.core.Max.keepDims(true)),
            tf.constant(new int[] {1, 9, 9, 4})), Map.of("BROADCAST_TO", 1)),
        new Row("DepthToSpace block 2", nhwc, (tf, x, w) -> tf.nn.depthToSpace(x, 2L), Map.of("DEPTH_TO_SPACE", 1)),
        new Row("SpaceToDepth block 2", new long[] {1, 8, 8, 4}, (tf, x, w) -> tf.nn.spaceToDepth(x, 2L), Map.of("SPACE_TO_DEPTH", 1)),
        new Row("MirrorPad REFLECT", nhwc, (tf, x, w) -> tf.mirrorPad(x, tf.constant(new int[][] {{0, 0}, {1, 2}, {2, 1}, {0, 0}}), "REFLECT"),
            Map.of("MIRROR_PAD", 1)),
        new Row("MirrorPad SYMMETRIC", nhwc, (tf, x, w) -> tf.mirrorPad(x, tf.constant(new int[][] {{0, 0}, {2, 2}, {0, 3}, {0, 0}}), "SYMMETRIC"),
            Map.of("MIRROR_PAD", 1)),
        new Row("ReverseV2 one axis", nhwc, (tf, x, w) -> tf.reverse(x, tf.constant(new int[] {1})), Map.of("REVERSE_V2", 1)),
        new Row("ReverseV2 two axes (one kernel call each)", nhwc, (tf, x, w) -> tf.reverse(x, tf.constant(new int[] {2, -1})), Map.of("REVERSE_V2", 2)),
        new Row("GatherNd", nhwc, (tf, x, w) -> tf.gatherNd(x, tf.constant(new int[][] {{0, 1, 2}, {0, 8, 3}, {0, 4, 4}})), Map.of("GATHER_ND", 1)),
        new Row("BatchMatMulV2 by a constant (broadcast batch)", nhwc, (tf, x, w) -> raw(tf, "BatchMatMulV2", Map.of(), x, tf.constantOf(w.uniform(0.5, 4, 5))),
            Map.of("BATCH_MATMUL", 1)),
        new Row("BatchMatMulV3 of two activations, adj_y (attention scores)", nhwc, (tf, x, w) -> raw(tf, "BatchMatMulV3",
            Map.of("adj_y", true, "Tout", DataType.DT_FLOAT), x, tf.nn.relu(x)), Map.of("BATCH_MATMUL", 1)),
        new Row("Einsum abc,cde->abde (EinsumDense query projection: FULLY_CONNECTED)", new long[] {1, 6, 8}, (tf, x, w) ->
            tf.linalg.einsum(List.of(x, tf.constantOf(w.uniform(0.5, 8, 2, 4))), "abc,cde->abde"), Map.of("FULLY_CONNECTED", 1, "BATCH_MATMUL", 0)),
        new Row("Einsum abcd,cde->abe (attention output projection: FULLY_CONNECTED)", new long[] {1, 6, 2, 4}, (tf, x, w) ->
            tf.linalg.einsum(List.of(x, tf.constantOf(w.uniform(0.5, 2, 4, 8))), "abcd,cde->abe"), Map.of("FULLY_CONNECTED", 1)),
        new Row("Einsum aecd,abcd->acbe then acbe,aecd->abcd (attention scores and context)", new long[] {1, 6, 2, 4}, (tf, x, w) -> {
          Operand<TFloat32> scores = tf.linalg.einsum(List.of(x, tf.math.tanh(x)), "aecd,abcd->acbe");
          return tf.linalg.einsum(List.of(tf.nn.softmax(scores), x), "acbe,aecd->abcd");
        }, Map.of("BATCH_MATMUL", 2, "SOFTMAX", 1)),
        new Row("BatchMatMul (V1) adj_x", new long[] {2, 4, 3}, (tf, x, w) -> raw(tf, "BatchMatMul", Map.of("adj_x", true), x, tf.constantOf(w.uniform(0.5, 2, 4, 5))),
            Map.of("BATCH_MATMUL", 1)));
  }

  /**
   * Shapes known only at run time: a dynamic batch (-1) read by Shape/Size and carried through int32 arithmetic. These
   * rows validate at batch 1 and 4 ({@link Tflite#validate}), so a shape frozen at batch 1 fails them. A shape that only
   * feeds a reshape folds into one RESHAPE with -1 (the official converter keeps SHAPE, STRIDED_SLICE and PACK); one
   * that feeds anything else stays SHAPE and the ops after it.
   */
  static Stream<Row> runTimeShapes() {
    return Stream.of(
        new Row("Shape → StridedSlice → Pack → Reshape (flatten a dynamic batch: one RESHAPE with -1)", new long[] {-1, 3, 4, 2},
            (tf, x, w) -> tf.reshape(x, tf.stack(List.of(batch(tf, x), tf.constant(-1)))), Map.of("RESHAPE", 1, "SHAPE", 0, "PACK", 0)),
        new Row("Shape at run time → BroadcastTo (a dynamic batch)", new long[] {-1, 6}, (tf, x, w) -> tf.broadcastTo(
            tf.math.mean(x, tf.constant(0), org.tensorflow.op.math.Mean.keepDims(true)), tf.shape(x)), Map.of("SHAPE", 1, "BROADCAST_TO", 1)),
        new Row("Shape → StridedSlice → Pack → Fill → ConcatV2 (zeros [batch, 2])", new long[] {-1, 3}, (tf, x, w) -> tf.concat(List.of(x,
            tf.fill(tf.stack(List.of(batch(tf, x), tf.constant(2))), tf.constant(0.5f))), tf.constant(1)),
            Map.of("SHAPE", 1, "STRIDED_SLICE", 1, "PACK", 1, "FILL", 1, "CONCATENATION", 1)),
        new Row("Reshape to [batch, shape[1] * 2, -1] with a Tile by the batch", new long[] {-1, 4, 6}, (tf, x, w) -> {
          Operand<TInt32> shape = tf.shape(x);
          Operand<TInt32> twice = tf.math.mul(tf.stridedSlice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {2}), tf.constant(new int[] {1}),
              StridedSlice.shrinkAxisMask(1L)), tf.constant(2));
          Operand<TFloat32> reshaped = tf.reshape(x, tf.stack(List.of(batch(tf, x), twice, tf.constant(-1))));
          // the Tile multiples depend on the batch too: nothing here may fold at batch 1
          return tf.math.add(reshaped, tf.tile(tf.constant(new float[][][] {{{0.25f}, {-0.5f}, {1f}, {0f}, {2f}, {-1f}, {0.5f}, {1.5f}}}),
              tf.stack(List.of(batch(tf, x), tf.constant(1), tf.constant(3)))));
        }, Map.of("SHAPE", 3, "MUL", 1, "RESHAPE", 1, "TILE", 1)), // one SHAPE per tf.shape call, as in the graph
        new Row("Size → SHAPE + REDUCE_PROD (x / size(x), a dynamic batch)", new long[] {-1, 6}, (tf, x, w) -> tf.math.div(x,
            tf.dtypes.cast(tf.size(x), TFloat32.class)), Map.of("SHAPE", 1, "REDUCE_PROD", 1, "DIV", 1)),
        new Row("Range over the batch (x + range(batch)[:, None])", new long[] {-1, 5}, (tf, x, w) -> tf.math.add(x, tf.expandDims(
            tf.dtypes.cast(tf.range(tf.constant(0), batch(tf, x), tf.constant(1)), TFloat32.class), tf.constant(1))), Map.of("RANGE", 1, "SHAPE", 1)),
        new Row("FloorDiv of int32 shapes: zeros [batch, shape[1] // 2] (FLOOR_DIV kept)", new long[] {-1, 6}, (tf, x, w) -> {
          Operand<TInt32> half = tf.math.floorDiv(tf.stridedSlice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}),
              tf.constant(new int[] {1}), StridedSlice.shrinkAxisMask(1L)), tf.constant(2));
          return tf.concat(List.of(x, tf.fill(tf.stack(List.of(batch(tf, x), half)), tf.constant(-0.5f))), tf.constant(1));
        }, Map.of("FLOOR_DIV", 1, "FILL", 1, "SHAPE", 2)),
        new Row("FloorDiv of floats (x // 0.3, negative values round down)", new long[] {1, 9, 9, 4}, (tf, x, w) -> tf.math.floorDiv(x, tf.constant(0.3f)),
            Map.of("FLOOR_DIV", 1)),
        new Row("Range of constants folds", new long[] {1, 5}, (tf, x, w) -> tf.math.mul(x, tf.dtypes.cast(tf.range(tf.constant(1), tf.constant(6),
            tf.constant(1)), TFloat32.class)), Map.of("MUL", 1, "RANGE", 0)),
        new Row("Rank of a dynamic-batch tensor folds (its rank is static)", new long[] {-1, 6}, (tf, x, w) -> tf.math.mul(x,
            tf.dtypes.cast(tf.rank(x), TFloat32.class)), Map.of("MUL", 1, "SHAPE", 0)),
        new Row("Shape and Size of a static tensor fold", new long[] {2, 6}, (tf, x, w) -> tf.math.add(tf.reshape(x, tf.stack(List.of(
            tf.math.mul(batch(tf, x), tf.constant(3)), tf.constant(-1)))), tf.dtypes.cast(tf.size(x), TFloat32.class)), Map.of("RESHAPE", 1, "ADD", 1, "SHAPE", 0)));
  }

  /** tf.shape(x)[0]. */
  static Operand<TInt32> batch(Ops tf, Operand<TFloat32> x) {
    return tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}), tf.constant(new int[] {1}), StridedSlice.shrinkAxisMask(1L));
  }

  /** select(condition, x, -x / 2): a float result that depends on every element of the condition. */
  static Operand<TFloat32> select(Ops tf, String type, Operand<TBool> condition, Operand<TFloat32> x) {
    return raw(tf, type, Map.of(), condition, x, tf.math.mul(x, tf.constant(-0.5f)));
  }

  /** floor(2x): whole numbers, so equality comparisons are true on whole regions, not on measure-zero sets. */
  static Operand<TFloat32> steps(Ops tf, Operand<TFloat32> x) {
    return tf.math.floor(tf.math.mul(x, tf.constant(2f)));
  }
}
