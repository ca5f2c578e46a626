package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;

/** Element-wise math beyond the basic arithmetic, comparisons, logic and selection. */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Square", ctx -> NnOps.unary(ctx, OpType.SQUARE));
    r.register("SquaredDifference", ctx -> MathOps.binary(ctx, OpType.SQUARED_DIFFERENCE, new OpOptions.None()));
    r.register("Pow", ctx -> MathOps.binary(ctx, OpType.POW, new OpOptions.None()));
    r.register("Sin", ctx -> NnOps.unary(ctx, OpType.SIN));
    r.register("Cos", ctx -> NnOps.unary(ctx, OpType.COS));
    r.register("Floor", ctx -> NnOps.unary(ctx, OpType.FLOOR));
    r.register("Ceil", ctx -> NnOps.unary(ctx, OpType.CEIL));
    r.register("Round", ctx -> NnOps.unary(ctx, OpType.ROUND));
    r.register("LogSoftmax", ctx -> NnOps.unary(ctx, OpType.LOG_SOFTMAX));
    r.register("Softplus", ElementwiseOps::softplus);
    r.register("AddN", ElementwiseOps::addN);
    r.register("Equal", ctx -> MathOps.binary(ctx, OpType.EQUAL, new OpOptions.None()));
    r.register("NotEqual", ctx -> MathOps.binary(ctx, OpType.NOT_EQUAL, new OpOptions.None()));
    r.register("Less", ctx -> MathOps.binary(ctx, OpType.LESS, new OpOptions.None()));
    r.register("LessEqual", ctx -> MathOps.binary(ctx, OpType.LESS_EQUAL, new OpOptions.None()));
    r.register("Greater", ctx -> MathOps.binary(ctx, OpType.GREATER, new OpOptions.None()));
    r.register("GreaterEqual", ctx -> MathOps.binary(ctx, OpType.GREATER_EQUAL, new OpOptions.None()));
    r.register("LogicalAnd", ctx -> MathOps.binary(ctx, OpType.LOGICAL_AND, new OpOptions.None()));
    r.register("LogicalOr", ctx -> MathOps.binary(ctx, OpType.LOGICAL_OR, new OpOptions.None()));
    r.register("LogicalNot", ctx -> NnOps.unary(ctx, OpType.LOGICAL_NOT));
    r.register("Select", ElementwiseOps::select);
    r.register("SelectV2", ctx -> ctx.emit(OpType.SELECT_V2, List.of(ctx.input(0), ctx.input(1), ctx.input(2)), ctx.output(0), new OpOptions.None()));
  }

  /**
   * softplus(x) = log(1 + exp(x)) has no 2.6 builtin; written in the overflow-free form max(x, 0) + log(1 + exp(-|x|)),
   * whose terms stay within float range for every x (exp's argument is never positive).
   */
  private static void softplus(LegalizeContext ctx) {
    long[] shape = ctx.outputShape(0);
    Tensor x = ctx.input(0);
    Tensor abs = ctx.intermediate("abs", DType.FLOAT32, shape);
    ctx.emit(OpType.ABS, List.of(x), abs, new OpOptions.None());
    Tensor negAbs = ctx.intermediate("neg_abs", DType.FLOAT32, shape);
    ctx.emit(OpType.NEG, List.of(abs), negAbs, new OpOptions.None());
    Tensor exp = ctx.intermediate("exp", DType.FLOAT32, shape);
    ctx.emit(OpType.EXP, List.of(negAbs), exp, new OpOptions.None());
    Tensor onePlus = ctx.intermediate("one_plus", DType.FLOAT32, shape);
    ctx.emit(OpType.ADD, List.of(exp, ctx.constant("one", TensorData.ofFloats(new long[0], new float[] {1f}))), onePlus, new OpOptions.Add(Activation.NONE));
    Tensor log = ctx.intermediate("log", DType.FLOAT32, shape);
    ctx.emit(OpType.LOG, List.of(onePlus), log, new OpOptions.None());
    Tensor relu = ctx.intermediate("relu", DType.FLOAT32, shape);
    ctx.emit(OpType.RELU, List.of(x), relu, new OpOptions.None());
    ctx.emit(OpType.ADD, List.of(relu, log), ctx.output(0), new OpOptions.Add(Activation.NONE));
  }

  private static void addN(LegalizeContext ctx) {
    List<Tensor> inputs = new ArrayList<>();
    for (int i = 0; i < ctx.inputCount(); i++) {
      inputs.add(ctx.input(i));
    }
    if (inputs.size() == 1) {
      ArrayOps.reshapeTo(ctx, inputs.get(0));
      return;
    }
    ctx.emit(OpType.ADD_N, inputs, ctx.output(0), new OpOptions.None());
  }

  /** Select (V1) broadcasts a rank-1 condition along the first dimension; SELECT_V2 broadcasts it as NumPy would, so that case is reshaped. */
  private static void select(LegalizeContext ctx) {
    long[] cond = ctx.inputInfo(0).shape();
    long[] value = ctx.inputInfo(1).shape();
    if (cond == null || value == null) {
      throw new UnsupportedNodeException("its operand shapes are not known at conversion time");
    }
    Tensor condition = ctx.input(0);
    if (cond.length == 1 && value.length > 1) {
      long[] column = new long[value.length];
      java.util.Arrays.fill(column, 1);
      column[0] = cond[0];
      Tensor reshaped = ctx.intermediate("condition", DType.BOOL, column);
      ctx.emit(OpType.RESHAPE, List.of(condition, ctx.constant("condition_shape", ConstantLayouts.int32Vector(column))), reshaped,
          new OpOptions.Reshape(dev.tflite.convert.ir.Shapes.toInts(column)));
      condition = reshaped;
    }
    ctx.emit(OpType.SELECT_V2, List.of(condition, ctx.input(1), ctx.input(2)), ctx.output(0), new OpOptions.None());
  }
}
