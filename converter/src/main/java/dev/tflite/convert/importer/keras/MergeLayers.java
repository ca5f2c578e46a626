package dev.tflite.convert.importer.keras;

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
    return c.tf.withName("sub").math.sub(c.inputs.get(0), c.inputs.get(1));
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

  /** Dot of two [N, d] inputs over d: sum(a * b) per sample, [N, 1]; normalize: each L2-normalized first, as Keras does. */
  static Operand<TFloat32> dot(LayerContext c) {
    long[] a = c.inputs.get(0).shape().asArray();
    long[] b = c.inputs.get(1).shape().asArray();
    long[] axes = c.ints("axes", 2, new long[] {-1, -1});
    boolean lastAxes = (axes[0] == 1 || axes[0] == -1) && (axes[1] == 1 || axes[1] == -1);
    if (a.length != 2 || b.length != 2 || !lastAxes) {
      throw new UnsupportedLayerException("only the dot of two [batch, features] inputs over the features is supported (batched matrix products"
          + " are not yet)");
    }
    Operand<TFloat32> x = c.inputs.get(0);
    Operand<TFloat32> y = c.inputs.get(1);
    if (c.bool("normalize", false)) {
      x = l2Normalize(c, x, "x");
      y = l2Normalize(c, y, "y");
    }
    return c.tf.withName("dot").sum(c.tf.withName("product").math.mul(x, y), c.tf.constant(new int[] {1}), org.tensorflow.op.core.Sum.keepDims(true));
  }

  /** Keras' normalize (ops.nn.normalize, epsilon 1e-7): x * min(rsqrt(sum(x^2)), 1 / 1e-7). */
  private static Operand<TFloat32> l2Normalize(LayerContext c, Operand<TFloat32> x, String prefix) {
    Operand<TFloat32> squareSum = c.tf.withName(prefix + "_square_sum").sum(c.tf.withName(prefix + "_square").math.mul(x, x),
        c.tf.constant(new int[] {1}), org.tensorflow.op.core.Sum.keepDims(true));
    return c.tf.withName(prefix + "_normalized").math.mul(x, c.tf.withName(prefix + "_min").math.minimum(
        c.tf.withName(prefix + "_rsqrt").math.rsqrt(squareSum), c.tf.constant(1e7f)));
  }

  private static Operand<TFloat32> fold(LayerContext c, BinaryOperator<Operand<TFloat32>> op) {
    Operand<TFloat32> acc = c.inputs.get(0);
    for (int i = 1; i < c.inputs.size(); i++) {
      acc = op.apply(acc, c.inputs.get(i));
    }
    return acc;
  }
}
