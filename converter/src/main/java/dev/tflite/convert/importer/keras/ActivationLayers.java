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

  static Operand<TFloat32> relu(LayerContext c) {
    JsonNode max = c.config.get("max_value");
    if (c.number("negative_slope", 0) != 0 || c.number("threshold", 0) != 0) {
      throw new UnsupportedLayerException("ReLU with negative_slope or threshold is not supported");
    }
    if (max == null || max.isNull()) {
      return c.tf.withName("Relu").nn.relu(c.input());
    }
    if (max.asDouble() == 6) {
      return c.tf.withName("Relu6").nn.relu6(c.input());
    }
    throw new UnsupportedLayerException("ReLU with max_value " + max.asDouble() + " is not supported (only none or 6)");
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

  static Operand<TFloat32> softmax(LayerContext c) {
    return c.tf.withName("Softmax").nn.softmax(c.input());
  }
}
