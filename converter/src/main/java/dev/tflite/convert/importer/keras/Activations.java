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
      case "softplus" -> softplus(tf, x, "softplus");
      case "softsign" -> tf.withName("softsign").math.div(x, tf.withName("softsign_denominator").math.add(tf.constant(1f),
          tf.withName("softsign_abs").math.abs(x)));
      case "selu" -> selu(c, x);
      case "exponential" -> tf.withName("Exp").math.exp(x);
      case "mish" -> tf.withName("mish").math.mul(x, tf.withName("mish_tanh").math.tanh(softplus(tf, x, "mish_softplus")));
      case "log_softmax" -> logSoftmax(tf, x);
      case "log_sigmoid" -> tf.withName("log_sigmoid").math.neg(softplus(tf, tf.withName("log_sigmoid_neg").math.neg(x), "log_sigmoid_softplus"));
      case "hard_tanh" -> tf.withName("hard_tanh").math.minimum(tf.withName("hard_tanh_low").math.maximum(x, tf.constant(-1f)), tf.constant(1f));
      case "tanh_shrink" -> tf.withName("tanh_shrink").math.sub(x, tf.withName("Tanh").math.tanh(x));
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

  /** softplus(x) = relu(x) + log(1 + exp(-|x|)): never overflows, equal to log(1 + exp(x)). */
  private static Operand<TFloat32> softplus(Ops tf, Operand<TFloat32> x, String name) {
    Operand<TFloat32> tail = tf.withName(name + "_log1p").math.log(tf.withName(name + "_one_plus").math.add(tf.constant(1f),
        tf.withName(name + "_exp").math.exp(tf.withName(name + "_neg_abs").math.neg(tf.withName(name + "_abs").math.abs(x)))));
    return tf.withName(name).math.add(tf.withName(name + "_relu").nn.relu(x), tail);
  }

  /** selu = scale * (relu(x) + alpha * (exp(min(x, 0)) - 1)), with elu(min(x, 0)) giving the last factor. */
  private static Operand<TFloat32> selu(LayerContext c, Operand<TFloat32> x) {
    Ops tf = c.tf;
    double alpha = 1.6732632423543772;
    double scale = 1.0507009873554805;
    Operand<TFloat32> negative = tf.withName("selu_elu").nn.elu(tf.withName("selu_min").math.neg(tf.withName("selu_relu_neg").nn.relu(
        tf.withName("selu_neg").math.neg(x))));
    Operand<TFloat32> sum = tf.withName("selu_sum").math.add(tf.withName("selu_relu").nn.relu(x),
        tf.withName("selu_alpha").math.mul(negative, tf.constant((float) alpha)));
    return tf.withName("selu").math.mul(sum, tf.constant((float) scale));
  }

  /** log_softmax over the last axis: x - max - log(sum(exp(x - max))). */
  private static Operand<TFloat32> logSoftmax(Ops tf, Operand<TFloat32> x) {
    Operand<org.tensorflow.types.TInt32> last = tf.constant(new int[] {-1});
    Operand<TFloat32> shifted = tf.withName("log_softmax_shifted").math.sub(x, tf.withName("log_softmax_max").max(x, last,
        org.tensorflow.op.core.Max.keepDims(true)));
    Operand<TFloat32> logSum = tf.withName("log_softmax_log").math.log(tf.withName("log_softmax_sum").sum(tf.withName("log_softmax_exp").math.exp(shifted),
        last, org.tensorflow.op.core.Sum.keepDims(true)));
    return tf.withName("log_softmax").math.sub(shifted, logSum);
  }

  /** ELU; another alpha than 1 as relu(x) + alpha * elu(min(x, 0)). */
  static Operand<TFloat32> elu(LayerContext c, Operand<TFloat32> x, double alpha) {
    if (alpha == 1.0) {
      return c.tf.withName("Elu").nn.elu(x);
    }
    Operand<TFloat32> negative = c.tf.withName("elu_negative").nn.elu(c.tf.withName("min_zero").math.neg(c.tf.withName("relu_neg").nn.relu(
        c.tf.withName("neg").math.neg(x))));
    return c.tf.withName("elu").math.add(c.tf.withName("relu").nn.relu(x), c.tf.withName("alpha").math.mul(negative, c.tf.constant((float) alpha)));
  }
}
