package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * L2 normalization over the last axis becomes one L2_NORMALIZATION, whose kernel computes
 * {@code x / max(sqrt(sum(x^2)), 1e-6)}. Matched forms: {@code tf.math.l2_normalize}'s
 * {@code x * rsqrt(max(sum(square(x)), eps))} (the official converter fuses this one) and Keras' UnitNormalization
 * {@code x * min(rsqrt(sum(x^2)), 1 / eps)} (which it leaves as five ops), with the square as SQUARE or
 * {@code x * x}. With eps = 1e-12 on the sum (l2_normalize's default) the kernel's clamp is the same function; a smaller
 * eps (UnitNormalization clamps the inverse norm at 1e12) differs only for vectors whose norm is below 1e-6, where
 * the kernel divides by 1e-6. A larger eps would change outputs of ordinary small vectors, so it is not matched.
 * Guards: the sum is over the last axis only with keep_dims (the kernel normalizes that axis), rank at most 4 (the
 * kernel's limit), every intermediate is read by the pattern alone and is no graph output.
 */
final class FuseL2Normalization extends ProductPatternPass {
  private static final double KERNEL_SQUARED_EPSILON = 1e-12;

  FuseL2Normalization() {
    super(1);
  }

  @Override
  Operator fuse(Graph graph, Operator root, Products product, Tensor x, Tensor other, Set<Operator> matched) {
    if (x.rank() < 1 || x.rank() > 4) {
      return null;
    }
    Tensor sum = inverseNormInput(graph, other, matched);
    return sum != null && isLastAxisSquareSum(graph, sum, x, matched)
        ? new Operator(OpType.L2_NORMALIZATION, List.of(x), List.of(root.output(0)), new OpOptions.L2Norm(), root.origin()) : null;
  }

  /** The squared-norm tensor under rsqrt(max(s, eps)) or min(rsqrt(s), cap), with eps and 1/cap^2 at most 1e-12. */
  private static Tensor inverseNormInput(Graph graph, Tensor inv, Set<Operator> chain) {
    Operator rsqrt = Patterns.exclusiveProducer(graph, inv, Set.of(OpType.RSQRT));
    if (rsqrt != null) {
      Operator max = Patterns.exclusiveProducer(graph, rsqrt.input(0), Set.of(OpType.MAXIMUM));
      Tensor s = max == null ? null : operandBesidesConstant(max, c -> c > 0 && c <= KERNEL_SQUARED_EPSILON);
      if (s != null) {
        chain.add(rsqrt);
        chain.add(max);
      }
      return s;
    }
    Operator min = Patterns.exclusiveProducer(graph, inv, Set.of(OpType.MINIMUM));
    Tensor r = min == null ? null : operandBesidesConstant(min, c -> c >= 1 / Math.sqrt(KERNEL_SQUARED_EPSILON));
    Operator innerRsqrt = r == null ? null : Patterns.exclusiveProducer(graph, r, Set.of(OpType.RSQRT));
    if (innerRsqrt == null) {
      return null;
    }
    chain.add(min);
    chain.add(innerRsqrt);
    return innerRsqrt.input(0);
  }

  private static Tensor operandBesidesConstant(Operator op, java.util.function.DoublePredicate accept) {
    for (int side = 0; side < 2; side++) {
      Float c = Products.scalar(op.input(1 - side));
      if (c != null && accept.test(c) && !op.input(side).isConstant() && Arrays.equals(op.input(side).shape(), op.output(0).shape())) {
        return op.input(side);
      }
    }
    return null;
  }

  /** sum(square(x) or x * x, last axis, keep_dims). */
  private static boolean isLastAxisSquareSum(Graph graph, Tensor s, Tensor x, Set<Operator> chain) {
    Operator sum = Patterns.exclusiveProducer(graph, s, Set.of(OpType.SUM));
    if (sum == null || !sum.options(OpOptions.Reducer.class).keepDims() || !sum.input(1).isConstant()) {
      return false;
    }
    int[] axes = sum.input(1).data().ints();
    if (axes.length != 1 || (axes[0] != -1 && axes[0] != x.rank() - 1)) {
      return false;
    }
    Operator square = Patterns.exclusiveProducer(graph, sum.input(0), Set.of(OpType.SQUARE, OpType.MUL));
    boolean squaresX = square != null && (square.type() == OpType.SQUARE ? square.input(0) == x
        : square.input(0) == x && square.input(1) == x && square.options(OpOptions.Mul.class).activation() == Activation.NONE);
    if (squaresX) {
      chain.add(sum);
      chain.add(square);
    }
    return squaresX;
  }
}
