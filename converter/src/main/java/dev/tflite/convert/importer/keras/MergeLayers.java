package dev.tflite.convert.importer.keras;

import java.util.List;
import java.util.function.BinaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Layers that combine several inputs element-wise (with broadcasting) or by concatenation. */
final class MergeLayers {
  private MergeLayers() {}

  static Operand<TFloat32> add(LayerContext c) {
    return fold(c, (a, b) -> c.tf.math.add(a, b));
  }

  static Operand<TFloat32> subtract(LayerContext c) {
    List<Operand<TFloat32>> operands = c.operands();
    return c.tf.withName("sub").math.sub(operands.get(0), operands.get(1));
  }

  static Operand<TFloat32> multiply(LayerContext c) {
    return fold(c, (a, b) -> c.tf.math.mul(a, b));
  }

  static Operand<TFloat32> average(LayerContext c) {
    return c.tf.withName("truediv").math.mul(add(c), c.tf.constant(1f / c.inputs.size()));
  }

  static Operand<TFloat32> concatenate(LayerContext c) {
    return c.tf.withName("concat").concat(c.inputs, c.tf.constant((int) c.number("axis", -1)));
  }

  static Operand<TFloat32> maximum(LayerContext c) {
    return fold(c, (a, b) -> c.tf.math.maximum(a, b));
  }

  static Operand<TFloat32> minimum(LayerContext c) {
    return fold(c, (a, b) -> c.tf.math.minimum(a, b));
  }

  /**
   * Dot as Keras' batch_dot: two [N, d] inputs over d (sum(a * b), [N, 1]), or two [N, ., .] inputs over one axis
   * each (a batched matrix product, [N, free of a, free of b]); normalize L2-normalizes each along its axis first.
   */
  static Operand<TFloat32> dot(LayerContext c) {
    Operand<TFloat32> x = c.inputs.get(0);
    Operand<TFloat32> y = c.inputs.get(1);
    int rankX = x.shape().numDimensions();
    int rankY = y.shape().numDimensions();
    long[] axes = c.ints("axes", 2, new long[] {-1, -1});
    int ax = (int) Math.floorMod(axes[0], rankX);
    int ay = (int) Math.floorMod(axes[1], rankY);
    boolean flat = rankX == 2 && rankY == 2 && ax == 1 && ay == 1;
    if (!flat && !(rankX == 3 && rankY == 3 && ax > 0 && ay > 0)) {
      throw new UnsupportedLayerException("Dot of [batch, d] inputs over d and of [batch, n, m] inputs over one non-batch axis each is"
          + " supported (got ranks " + rankX + " and " + rankY + ", axes " + ax + ", " + ay + ")");
    }
    if (c.bool("normalize", false)) {
      x = l2Normalize(c, x, ax, "x");
      y = l2Normalize(c, y, ay, "y");
    }
    if (flat) {
      return c.tf.withName("dot").sum(c.tf.withName("product").math.mul(x, y), c.tf.constant(new int[] {1}), org.tensorflow.op.core.Sum.keepDims(true));
    }
    // BatchMatMul contracts x's last axis with y's second: the axis given on the other side is an adjoint
    return c.tf.withName("dot").train.batchMatMul(x, y, TFloat32.class, org.tensorflow.op.train.BatchMatMul.adjX(ax == 1),
        org.tensorflow.op.train.BatchMatMul.adjY(ay == 2));
  }

  /** Keras' normalize (ops.nn.normalize, epsilon 1e-7): x * min(rsqrt(sum(x^2)), 1 / 1e-7) along {@code axis}. */
  private static Operand<TFloat32> l2Normalize(LayerContext c, Operand<TFloat32> x, int axis, String prefix) {
    Operand<TFloat32> squareSum = c.tf.withName(prefix + "_square_sum").sum(c.tf.withName(prefix + "_square").math.mul(x, x),
        c.tf.constant(new int[] {axis}), org.tensorflow.op.core.Sum.keepDims(true));
    return c.tf.withName(prefix + "_normalized").math.mul(x, c.tf.withName(prefix + "_min").math.minimum(
        c.tf.withName(prefix + "_rsqrt").math.rsqrt(squareSum), c.tf.constant(1e7f)));
  }

  private static Operand<TFloat32> fold(LayerContext c, BinaryOperator<Operand<TFloat32>> op) {
    List<Operand<TFloat32>> operands = c.operands();
    Operand<TFloat32> acc = operands.get(0);
    for (int i = 1; i < operands.size(); i++) {
      acc = op.apply(acc, operands.get(i));
    }
    return acc;
  }
}
