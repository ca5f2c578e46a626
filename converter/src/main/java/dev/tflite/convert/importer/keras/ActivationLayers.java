package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Activation layers (the functions themselves are {@link Activations}). */
final class ActivationLayers {
  private ActivationLayers() {}

  static Operand<TFloat32> activation(LayerContext c) {
    return c.activate(c.input());
  }

  /**
   * ReLU as Keras computes it: x where x > threshold else 0 (relu without a threshold, relu6 when max_value is 6),
   * clipped to max_value, minus negative_slope * relu(threshold - x); a slope alone is a leaky relu.
   */
  static Operand<TFloat32> relu(LayerContext c) {
    JsonNode max = c.config.get("max_value");
    boolean clip = max != null && !max.isNull();
    double slope = c.number("negative_slope", 0);
    double threshold = c.number("threshold", 0);
    Operand<TFloat32> x = c.input();
    if (slope != 0 && !clip && threshold == 0) {
      return c.tf.withName("LeakyRelu").nn.leakyRelu(x, LeakyRelu.alpha((float) slope));
    }
    Operand<TFloat32> y;
    if (threshold != 0) {
      Operand<TFloat32> above = c.tf.withName("above_threshold").dtypes.cast(c.tf.withName("Greater").math.greater(x,
          c.tf.constant((float) threshold)), TFloat32.class);
      y = c.tf.withName("thresholded").math.mul(x, above);
    } else if (clip && max.asDouble() == 6) {
      y = c.tf.withName("Relu6").nn.relu6(x);
      clip = false;
    } else {
      y = c.tf.withName("Relu").nn.relu(x);
    }
    if (clip) {
      y = c.tf.withName("clip").math.minimum(y, c.tf.constant((float) max.asDouble()));
    }
    if (slope != 0) {
      Operand<TFloat32> below = threshold == 0 ? c.tf.withName("Neg").math.neg(x)
          : c.tf.withName("threshold_minus_x").math.sub(c.tf.constant((float) threshold), x);
      y = c.tf.withName("sub").math.sub(y, c.tf.withName("negative_part").math.mul(c.tf.constant((float) slope),
          c.tf.withName("Relu_neg").nn.relu(below)));
    }
    return y;
  }

  static Operand<TFloat32> leakyRelu(LayerContext c) {
    return c.tf.withName("LeakyRelu").nn.leakyRelu(c.input(), LeakyRelu.alpha((float) c.dialect.leakyReluSlope(c)));
  }

  static Operand<TFloat32> elu(LayerContext c) {
    return Activations.elu(c, c.input(), c.number("alpha", 1.0));
  }

  /** Keras' PReLU: relu(x) - alpha * relu(-x), fused back into one PRELU by the converter. */
  static Operand<TFloat32> prelu(LayerContext c) {
    Operand<TFloat32> alpha = c.weight("alpha");
    Operand<TFloat32> pos = c.tf.withName("Relu").nn.relu(c.input());
    Operand<TFloat32> neg = c.tf.withName("mul").math.mul(c.tf.withName("Neg").math.neg(alpha),
        c.tf.withName("Relu_1").nn.relu(c.tf.withName("Neg_1").math.neg(c.input())));
    return c.tf.withName("add").math.add(pos, neg);
  }

  /** Softmax over {@code axis}: TensorFlow's softmax works on the last axis, so another axis is transposed there and back. */
  static Operand<TFloat32> softmax(LayerContext c) {
    int rank = c.inputShape().length;
    int axis = c.axis("axis", -1);
    if (axis == rank - 1) {
      return c.tf.withName("Softmax").nn.softmax(c.input());
    }
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[axis] = rank - 1;
    perm[rank - 1] = axis;
    Operand<TFloat32> moved = c.tf.withName("to_last").linalg.transpose(c.input(), c.tf.constant(perm));
    return c.tf.withName("from_last").linalg.transpose(c.tf.withName("Softmax").nn.softmax(moved), c.tf.constant(perm));
  }
}
