package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import java.util.List;

/** Element-wise arithmetic and reductions. */
final class MathOps {
  private MathOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Add", ctx -> binary(ctx, OpType.ADD, new OpOptions.Add(Activation.NONE)));
    r.register("AddV2", ctx -> binary(ctx, OpType.ADD, new OpOptions.Add(Activation.NONE)));
    r.register("Sub", ctx -> binary(ctx, OpType.SUB, new OpOptions.Sub(Activation.NONE)));
    r.register("Mul", ctx -> binary(ctx, OpType.MUL, new OpOptions.Mul(Activation.NONE)));
    r.register("Neg", ctx -> NnOps.unary(ctx, OpType.NEG));
    r.register("Mean", MathOps::mean);
  }

  private static void binary(LegalizeContext ctx, OpType type, OpOptions options) {
    long[] a = ctx.inputInfo(0).shape();
    long[] b = ctx.inputInfo(1).shape();
    if (a == null || b == null || Math.max(a.length, b.length) > 4) {
      throw new UnsupportedNodeException("only operands of rank 4 or less with known shapes are supported");
    }
    ctx.emit(type, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), options);
  }

  private static void mean(LegalizeContext ctx) {
    int rank = ctx.inputInfo(0).shape().length;
    long[] axes = ctx.constantInput(1, "reduction axes").longs();
    long[] normalized = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      normalized[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    ctx.emit(OpType.MEAN, List.of(ctx.input(0), ctx.constant("axes", dev.tflite.convert.ir.ConstantLayouts.int32Vector(normalized))), ctx.output(0),
        new OpOptions.Reducer(ctx.boolAttr("keep_dims", false)));
  }
}
