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

  private static Operand<TFloat32> fold(LayerContext c, BinaryOperator<Operand<TFloat32>> op) {
    Operand<TFloat32> acc = c.inputs.get(0);
    for (int i = 1; i < c.inputs.size(); i++) {
      acc = op.apply(acc, c.inputs.get(i));
    }
    return acc;
  }
}
