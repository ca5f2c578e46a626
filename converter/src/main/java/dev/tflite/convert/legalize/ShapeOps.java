package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import java.util.List;

/**
 * Shapes computed at run time. Shape, Size and Rank of a tensor whose shape is known are folded before legalization,
 * and so is Range of constants; what reaches these rules reads a tensor that changes with the model's dynamic
 * dimensions (usually the batch), so the model resizes: SHAPE, SHAPE + REDUCE_PROD for Size, and RANGE; FloorDiv is the
 * integer division their arithmetic uses.
 */
final class ShapeOps {
  private ShapeOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Shape", ShapeOps::shape);
    r.register("Size", ShapeOps::size);
    r.register("Range", ShapeOps::range);
    // shape arithmetic's integer division (tf.shape(x)[1] // 2); float32 too, as TensorFlow Lite 2.6 runs both
    r.register("FloorDiv", ctx -> {
      DType type = ctx.output(0).type();
      if (type != DType.INT32 && type != DType.FLOAT32) {
        throw new UnsupportedNodeException("floor division of " + type + " has no TensorFlow Lite 2.6 kernel (int32 and float32 only)");
      }
      MathOps.binary(ctx, OpType.FLOOR_DIV, new OpOptions.None());
    });
  }

  private static void shape(LegalizeContext ctx) {
    DType type = indexType(ctx);
    ctx.emit(OpType.SHAPE, List.of(ctx.input(0)), ctx.output(0), new OpOptions.Shape(type));
  }

  /** The element count: the product of the shape (int32; an int64 Size is cast after). */
  private static void size(LegalizeContext ctx) {
    DType type = indexType(ctx);
    int rank = ctx.inputInfo(0).shape().length;
    Tensor shape = ctx.intermediate("shape", DType.INT32, new long[] {rank});
    ctx.emit(OpType.SHAPE, List.of(ctx.input(0)), shape, new OpOptions.Shape(DType.INT32));
    Tensor axis = ctx.constant("axis", ConstantLayouts.int32Vector(new long[] {0}));
    if (type == DType.INT32) {
      ctx.emit(OpType.REDUCE_PROD, List.of(shape, axis), ctx.output(0), new OpOptions.Reducer(false));
      return;
    }
    Tensor count = ctx.intermediate("count", DType.INT32, new long[0]);
    ctx.emit(OpType.REDUCE_PROD, List.of(shape, axis), count, new OpOptions.Reducer(false));
    ctx.emit(OpType.CAST, List.of(count), ctx.output(0), new OpOptions.None());
  }

  /** RANGE of int32 or float32 scalars (TensorFlow Lite 2.6 has no int64 range). */
  private static void range(LegalizeContext ctx) {
    DType type = ctx.output(0).type();
    if (type != DType.INT32 && type != DType.FLOAT32) {
      throw new UnsupportedNodeException("a range of " + type + " computed at run time has no TensorFlow Lite 2.6 kernel (int32 and float32 only)");
    }
    ctx.emit(OpType.RANGE, List.of(ctx.input(0), ctx.input(1), ctx.input(2)), ctx.output(0), new OpOptions.None());
  }

  private static DType indexType(LegalizeContext ctx) {
    DType type = ctx.output(0).type();
    if (type != DType.INT32 && type != DType.INT64) {
      throw new UnsupportedNodeException("its out_type " + type + " is neither int32 nor int64");
    }
    return type;
  }

  /** An int32 shape operand: constants as they are, a computed int64 shape through a CAST (RESHAPE reads int32 only). */
  static Tensor int32Operand(LegalizeContext ctx, int input, String role) {
    if (ctx.isConstant(input)) {
      return ctx.constant(role, ConstantLayouts.toInt32(ctx.constantInput(input, role)));
    }
    Tensor computed = ctx.input(input);
    if (computed.type() == DType.INT32) {
      return computed;
    }
    if (computed.type() != DType.INT64) {
      throw new UnsupportedNodeException("its " + role + " (input " + input + ") is " + computed.type() + ", not an integer shape");
    }
    Tensor cast = ctx.intermediate(role + "_int32", DType.INT32, computed.shape());
    ctx.emit(OpType.CAST, List.of(computed), cast, new OpOptions.None());
    return cast;
  }
}
