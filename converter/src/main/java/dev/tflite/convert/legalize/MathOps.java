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
    r.register("Mean", ctx -> reduce(ctx, OpType.MEAN));
    r.register("Max", ctx -> reduce(ctx, OpType.REDUCE_MAX));
    r.register("FakeQuantWithMinMaxVars", MathOps::fakeQuant);
    r.register("FakeQuantWithMinMaxArgs", MathOps::fakeQuant);
  }

  private static void binary(LegalizeContext ctx, OpType type, OpOptions options) {
    long[] a = ctx.inputInfo(0).shape();
    long[] b = ctx.inputInfo(1).shape();
    if (a == null || b == null || Math.max(a.length, b.length) > 4) {
      throw new UnsupportedNodeException("only operands of rank 4 or less with known shapes are supported");
    }
    ctx.emit(type, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), options);
  }

  /** Quantization-aware-training fake quantization, kept as the float FAKE_QUANT op (min/max as attributes or constants). */
  private static void fakeQuant(LegalizeContext ctx) {
    float min;
    float max;
    if (ctx.node().getOp().equals("FakeQuantWithMinMaxArgs")) {
      min = ctx.floatAttr("min", -6f);
      max = ctx.floatAttr("max", 6f);
    } else {
      min = ctx.constantInput(1, "min").floats()[0];
      max = ctx.constantInput(2, "max").floats()[0];
    }
    int bits = ctx.hasAttr("num_bits") ? (int) ctx.attr("num_bits").getI() : 8;
    ctx.emit(OpType.FAKE_QUANT, List.of(ctx.input(0)), ctx.output(0), new OpOptions.FakeQuant(min, max, bits, ctx.boolAttr("narrow_range", false)));
  }

  private static void reduce(LegalizeContext ctx, OpType type) {
    int rank = ctx.inputInfo(0).shape().length;
    long[] axes = ctx.constantInput(1, "reduction axes").longs();
    long[] normalized = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      normalized[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    ctx.emit(type, List.of(ctx.input(0), ctx.constant("axes", dev.tflite.convert.ir.ConstantLayouts.int32Vector(normalized))), ctx.output(0),
        new OpOptions.Reducer(ctx.boolAttr("keep_dims", false)));
  }
}
