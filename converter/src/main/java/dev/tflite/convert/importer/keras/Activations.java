package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Keras' built-in activation functions, by the name a layer's {@code activation} setting gives. */
final class Activations {
  private Activations() {}

  /** The activation's name: a string (both versions) or a serialized function object. */
  static String name(JsonNode activation) {
    if (activation == null || activation.isNull()) {
      return "linear";
    }
    if (activation.isTextual()) {
      return activation.asText();
    }
    JsonNode name = activation.has("config") && activation.get("config").has("name") ? activation.get("config").get("name")
        : activation.get("class_name");
    return name == null ? "unknown" : name.asText().toLowerCase();
  }

  static Operand<TFloat32> apply(LayerContext c, Operand<TFloat32> x, String name) {
    Ops tf = c.tf;
    return switch (name) {
      case "linear" -> x;
      case "relu" -> tf.withName("Relu").nn.relu(x);
      case "relu6" -> tf.withName("Relu6").nn.relu6(x);
      case "sigmoid" -> tf.withName("Sigmoid").math.sigmoid(x);
      case "tanh" -> tf.withName("Tanh").math.tanh(x);
      case "softmax" -> tf.withName("Softmax").nn.softmax(x);
      case "swish", "silu" -> tf.withName("mul").math.mul(x, tf.withName("Sigmoid").math.sigmoid(x));
      case "elu" -> elu(c, x, 1.0);
      case "leaky_relu" -> tf.withName("LeakyRelu").nn.leakyRelu(x, LeakyRelu.alpha(0.2f));
      case "hard_sigmoid" -> hardSigmoid(c, x);
      case "gelu" -> tf.withName("gelu").math.mul(tf.withName("gelu_half_x").math.mul(x, tf.constant(0.5f)),
          tf.withName("gelu_one_plus").math.add(tf.constant(1f), tf.withName("Erf").math.erf(tf.withName("gelu_scaled").math.mul(x,
              tf.constant((float) (1 / Math.sqrt(2)))))));
      case "hard_swish", "hard_silu" -> tf.withName("hard_swish").math.mul(x, hardSigmoid(c, x));
      default -> throw new UnsupportedLayerException("activation '" + name + "' is not supported yet");
    };
  }

  /** relu6(s x + 3) / 6 with the dialect's input scale (Keras 2 and 3 define hard_sigmoid differently). */
  private static Operand<TFloat32> hardSigmoid(LayerContext c, Operand<TFloat32> x) {
    Ops tf = c.tf;
    double scale = c.dialect.hardSigmoidInputScale();
    Operand<TFloat32> scaled = scale == 1 ? x : tf.withName("hard_sigmoid_scale").math.mul(x, tf.constant((float) scale));
    return tf.withName("hard_sigmoid").math.mul(tf.withName("hard_sigmoid_relu6").nn.relu6(
        tf.withName("hard_sigmoid_shift").math.add(scaled, tf.constant(3f))), tf.constant(1f / 6));
  }

  static Operand<TFloat32> elu(LayerContext c, Operand<TFloat32> x, double alpha) {
    if (alpha != 1.0) {
      throw new UnsupportedLayerException("ELU with alpha " + alpha + " is not supported (only 1.0)");
    }
    return c.tf.withName("Elu").nn.elu(x);
  }
}
