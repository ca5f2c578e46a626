package dev.tflite.convert.legalize;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.ArrayList;
import java.util.List;

/**
 * Two-operand Einsum without ellipses or repeated labels (what Keras' EinsumDense and MultiHeadAttention write, e.g.
 * {@code abc,cde->abde}, {@code aecd,abcd->acbe}, {@code acbe,aecd->abcd}, {@code abcd,cde->abe}) as the matrix product
 * it is: each operand is transposed to [batch, free, contracted] order and flattened to three dimensions, one
 * BATCH_MATMUL multiplies them, and the result is reshaped and transposed to the output's label order. A constant
 * right operand with no batch labels becomes a FULLY_CONNECTED (its weights rearranged at conversion time), so
 * dynamic-range and integer quantization treat it as the dense layer it is.
 */
final class EinsumOps {
  private EinsumOps() {}

  static void registerAll(LegalizationRegistry r) {
    r.register("Einsum", EinsumOps::einsum);
  }

  private static void einsum(LegalizeContext ctx) {
    String equation = ctx.stringAttr("equation", "").replace(" ", "");
    String[] sides = equation.split("->");
    String[] operands = sides.length == 2 ? sides[0].split(",") : new String[0];
    if (operands.length != 2 || equation.contains(".")) {
      throw new UnsupportedNodeException("equation '" + equation + "': only two operands without ellipses are supported");
    }
    String a = operands[0];
    String b = operands[1];
    String out = sides[1];
    long[] shapeA = ctx.inputInfo(0).shape();
    long[] shapeB = ctx.inputInfo(1).shape();
    if (shapeA == null || shapeB == null || !Shapes.isFullyKnown(shapeA) || !Shapes.isFullyKnown(shapeB)) {
      throw new UnsupportedNodeException("its operand shapes are not known at conversion time; configure concrete input shapes");
    }
    StringBuilder batch = new StringBuilder();
    StringBuilder freeA = new StringBuilder();
    StringBuilder freeB = new StringBuilder();
    StringBuilder contracted = new StringBuilder();
    for (char c : (a + b).toCharArray()) {
      boolean inA = a.indexOf(c) >= 0;
      boolean inB = b.indexOf(c) >= 0;
      boolean inOut = out.indexOf(c) >= 0;
      if (count(a, c) > 1 || count(b, c) > 1) {
        throw new UnsupportedNodeException("equation '" + equation + "' repeats a label within an operand (a diagonal); not supported");
      }
      StringBuilder kind = inA && inB ? (inOut ? batch : contracted) : inOut ? (inA ? freeA : freeB) : null;
      if (kind == null) {
        throw new UnsupportedNodeException("equation '" + equation + "' sums label '" + c + "' within one operand; not supported");
      }
      if (kind.indexOf(String.valueOf(c)) < 0) {
        kind.append(c);
      }
    }
    long batchSize = product(shapeA, a, batch);
    long m = product(shapeA, a, freeA);
    long k = product(shapeA, a, contracted);
    long n = product(shapeB, b, freeB);
    for (char c : batch.toString().toCharArray()) {
      if (shapeA[a.indexOf(c)] != shapeB[b.indexOf(c)]) {
        throw new UnsupportedNodeException("batch label '" + c + "' has sizes " + shapeA[a.indexOf(c)] + " and " + shapeB[b.indexOf(c)] + " (broadcast)");
      }
    }
    String productLabels = batch.toString() + freeA + freeB;
    long[] productShape = new long[productLabels.length()];
    for (int i = 0; i < productShape.length; i++) {
      char c = productLabels.charAt(i);
      productShape[i] = a.indexOf(c) >= 0 ? shapeA[a.indexOf(c)] : shapeB[b.indexOf(c)];
    }
    Tensor lhs = arrange(ctx, "lhs", ctx.input(0), a, shapeA, batch + freeA.toString() + contracted, batch.length() == 0 ? new long[] {m, k}
        : new long[] {batchSize, m, k});
    Tensor product;
    if (batch.length() == 0 && ctx.isConstant(1)) {
      TensorData weights = ctx.constantInput(1, "right operand");
      TensorData nk = ConstantLayouts.transpose(weights, permutation(b, freeB.toString() + contracted)).reshaped(new long[] {n, k});
      product = ctx.intermediate("product", DType.FLOAT32, new long[] {m, n});
      ctx.emit(OpType.FULLY_CONNECTED, List.of(lhs, ctx.constant("weights", nk), ctx.constant("bias", ConstantLayouts.zeros(n))), product,
          new OpOptions.FullyConnected(Activation.NONE, false, false));
    } else {
      Tensor rhs = arrange(ctx, "rhs", ctx.input(1), b, shapeB, batch + contracted.toString() + freeB, new long[] {batchSize, k, n});
      if (batch.length() == 0) {
        throw new UnsupportedNodeException("equation '" + equation + "' multiplies two computed operands without a batch label; not supported");
      }
      product = ctx.intermediate("product", DType.FLOAT32, new long[] {batchSize, m, n});
      ctx.emit(OpType.BATCH_MATMUL, List.of(lhs, rhs), product, new OpOptions.BatchMatMul(false, false));
    }
    int[] toOut = permutation(productLabels, out);
    boolean identity = isIdentity(toOut);
    Tensor unflattened = identity ? null : ctx.intermediate("unflattened", DType.FLOAT32, productShape);
    if (identity) {
      ArrayOps.reshapeTo(ctx, product);
      return;
    }
    ctx.emit(OpType.RESHAPE, List.of(product, ctx.constant("unflattened_shape", ConstantLayouts.int32Vector(productShape))), unflattened,
        new OpOptions.Reshape(Shapes.toInts(productShape)));
    ctx.emit(OpType.TRANSPOSE, List.of(unflattened, ctx.constant("out_perm", ConstantLayouts.int32Vector(toLongs(toOut)))), ctx.output(0),
        new OpOptions.Transpose());
  }

  /** The operand in {@code order}, flattened to {@code flat}: constants rearranged here, activations by TRANSPOSE and RESHAPE. */
  private static Tensor arrange(LegalizeContext ctx, String name, Tensor operand, String labels, long[] shape, String order, long[] flat) {
    int[] perm = permutation(labels, order);
    if (operand.isConstant()) {
      return ctx.constant(name, ConstantLayouts.transpose(operand.data(), perm).reshaped(flat));
    }
    Tensor current = operand;
    if (!isIdentity(perm)) {
      long[] transposed = new long[perm.length];
      for (int i = 0; i < perm.length; i++) {
        transposed[i] = shape[perm[i]];
      }
      Tensor t = ctx.intermediate(name + "_transposed", DType.FLOAT32, transposed);
      ctx.emit(OpType.TRANSPOSE, List.of(current, ctx.constant(name + "_perm", ConstantLayouts.int32Vector(toLongs(perm)))), t, new OpOptions.Transpose());
      current = t;
    }
    if (!java.util.Arrays.equals(current.shape(), flat)) {
      Tensor r = ctx.intermediate(name + "_flat", DType.FLOAT32, flat);
      ctx.emit(OpType.RESHAPE, List.of(current, ctx.constant(name + "_shape", ConstantLayouts.int32Vector(flat))), r, new OpOptions.Reshape(Shapes.toInts(flat)));
      current = r;
    }
    return current;
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private static long product(long[] shape, String labels, CharSequence of) {
    long p = 1;
    for (int i = 0; i < of.length(); i++) {
      p *= shape[labels.indexOf(of.charAt(i))];
    }
    return p;
  }

  /** perm[i] = position in {@code from} of the label at position i of {@code to}. */
  private static int[] permutation(String from, String to) {
    int[] perm = new int[to.length()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = from.indexOf(to.charAt(i));
    }
    return perm;
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static long[] toLongs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
