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
    r.register("Abs", ctx -> NnOps.unary(ctx, OpType.ABS));
    r.register("Exp", ctx -> NnOps.unary(ctx, OpType.EXP));
    r.register("RealDiv", ctx -> binary(ctx, OpType.DIV, new OpOptions.Div(Activation.NONE)));
    r.register("Div", ctx -> {
      if (ctx.inputInfo(0).type() != org.tensorflow.proto.DataType.DT_FLOAT) {
        throw new UnsupportedNodeException("integer division is not supported");
      }
      binary(ctx, OpType.DIV, new OpOptions.Div(Activation.NONE));
    });
    r.register("Maximum", ctx -> binary(ctx, OpType.MAXIMUM, new OpOptions.None()));
    r.register("Minimum", ctx -> binary(ctx, OpType.MINIMUM, new OpOptions.None()));
    r.register("Log", ctx -> NnOps.unary(ctx, OpType.LOG));
    r.register("Sqrt", ctx -> NnOps.unary(ctx, OpType.SQRT));
    r.register("Rsqrt", ctx -> NnOps.unary(ctx, OpType.RSQRT));
    r.register("Sum", ctx -> reduce(ctx, OpType.SUM));
    r.register("Erf", ctx -> erf(ctx, false));
    r.register("Erfc", ctx -> erf(ctx, true));
    r.register("Mean", ctx -> reduce(ctx, OpType.MEAN));
    r.register("Max", ctx -> reduce(ctx, OpType.REDUCE_MAX));
    r.register("FakeQuantWithMinMaxVars", MathOps::fakeQuant);
    r.register("FakeQuantWithMinMaxArgs", MathOps::fakeQuant);
  }

  static void binary(LegalizeContext ctx, OpType type, OpOptions options) {
    long[] a = ctx.inputInfo(0).shape();
    long[] b = ctx.inputInfo(1).shape();
    if (a == null || b == null || Math.max(a.length, b.length) > 4) {
      throw new UnsupportedNodeException("only operands of rank 4 or less with known shapes are supported");
    }
    ctx.emit(type, List.of(ctx.input(0), ctx.input(1)), ctx.output(0), options);
  }

  /**
   * erf has no TensorFlow Lite 2.6 builtin; it becomes Abramowitz and Stegun's approximation 7.1.26 (error below
   * 1.5e-7): erf(z) = sign(z) (1 - (a1 t + ... + a5 t^5) exp(-z^2)), t = 1 / (1 + p |z|), with sign(z) = z / max(|z|, tiny).
   * erfc (TensorFlow 2.21 writes the exact GELU as 0.5 x erfc(-x / sqrt 2)) is (1 - sign(z)) + sign(z) tail: the tail
   * itself for z > 0, so small values keep their relative precision instead of cancelling in 1 - erf(z).
   */
  private static void erf(LegalizeContext ctx, boolean complement) {
    long[] shape = ctx.outputShape(0);
    dev.tflite.convert.ir.Tensor z = ctx.input(0);
    java.util.function.BiFunction<String, Float, dev.tflite.convert.ir.Tensor> scalar = (name, v) ->
        ctx.constant(name, dev.tflite.convert.ir.TensorData.ofFloats(new long[0], new float[] {v}));
    java.util.function.Function<String, dev.tflite.convert.ir.Tensor> tmp = name -> ctx.intermediate(name, dev.tflite.convert.ir.DType.FLOAT32, shape);
    dev.tflite.convert.ir.Tensor abs = tmp.apply("abs");
    ctx.emit(OpType.ABS, List.of(z), abs, new OpOptions.None());
    dev.tflite.convert.ir.Tensor pz = tmp.apply("p_abs");
    ctx.emit(OpType.MUL, List.of(abs, scalar.apply("p", 0.3275911f)), pz, new OpOptions.Mul(Activation.NONE));
    dev.tflite.convert.ir.Tensor denominator = tmp.apply("one_plus");
    ctx.emit(OpType.ADD, List.of(pz, scalar.apply("one", 1f)), denominator, new OpOptions.Add(Activation.NONE));
    dev.tflite.convert.ir.Tensor t = tmp.apply("t");
    ctx.emit(OpType.DIV, List.of(scalar.apply("one_t", 1f), denominator), t, new OpOptions.Div(Activation.NONE));
    float[] a = {1.061405429f, -1.453152027f, 1.421413741f, -0.284496736f, 0.254829592f}; // a5 .. a1 (Horner)
    dev.tflite.convert.ir.Tensor poly = scalar.apply("a5", a[0]);
    for (int i = 1; i < a.length; i++) {
      dev.tflite.convert.ir.Tensor product = tmp.apply("horner_mul" + i);
      ctx.emit(OpType.MUL, List.of(poly, t), product, new OpOptions.Mul(Activation.NONE));
      dev.tflite.convert.ir.Tensor sum = tmp.apply("horner_add" + i);
      ctx.emit(OpType.ADD, List.of(product, scalar.apply("a" + (5 - i), a[i])), sum, new OpOptions.Add(Activation.NONE));
      poly = sum;
    }
    dev.tflite.convert.ir.Tensor polyT = tmp.apply("poly_t");
    ctx.emit(OpType.MUL, List.of(poly, t), polyT, new OpOptions.Mul(Activation.NONE));
    dev.tflite.convert.ir.Tensor square = tmp.apply("square");
    ctx.emit(OpType.MUL, List.of(z, z), square, new OpOptions.Mul(Activation.NONE));
    dev.tflite.convert.ir.Tensor negSquare = tmp.apply("neg_square");
    ctx.emit(OpType.NEG, List.of(square), negSquare, new OpOptions.None());
    dev.tflite.convert.ir.Tensor gauss = tmp.apply("exp");
    ctx.emit(OpType.EXP, List.of(negSquare), gauss, new OpOptions.None());
    dev.tflite.convert.ir.Tensor tail = tmp.apply("tail");
    ctx.emit(OpType.MUL, List.of(polyT, gauss), tail, new OpOptions.Mul(Activation.NONE));
    dev.tflite.convert.ir.Tensor safe = tmp.apply("safe_abs");
    ctx.emit(OpType.MAXIMUM, List.of(abs, scalar.apply("tiny", 1e-30f)), safe, new OpOptions.None());
    dev.tflite.convert.ir.Tensor sign = tmp.apply("sign");
    ctx.emit(OpType.DIV, List.of(z, safe), sign, new OpOptions.Div(Activation.NONE));
    if (!complement) {
      dev.tflite.convert.ir.Tensor magnitude = tmp.apply("magnitude");
      ctx.emit(OpType.SUB, List.of(scalar.apply("one_m", 1f), tail), magnitude, new OpOptions.Sub(Activation.NONE));
      ctx.emit(OpType.MUL, List.of(sign, magnitude), ctx.output(0), new OpOptions.Mul(Activation.NONE));
      return;
    }
    dev.tflite.convert.ir.Tensor signedTail = tmp.apply("signed_tail");
    ctx.emit(OpType.MUL, List.of(sign, tail), signedTail, new OpOptions.Mul(Activation.NONE));
    dev.tflite.convert.ir.Tensor oneMinusSign = tmp.apply("one_minus_sign");
    ctx.emit(OpType.SUB, List.of(scalar.apply("one_c", 1f), sign), oneMinusSign, new OpOptions.Sub(Activation.NONE));
    ctx.emit(OpType.ADD, List.of(oneMinusSign, signedTail), ctx.output(0), new OpOptions.Add(Activation.NONE));
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

  static void reduce(LegalizeContext ctx, OpType type) {
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
