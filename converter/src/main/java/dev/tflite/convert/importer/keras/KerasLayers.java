package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * Keras layer class → the TensorFlow ops Keras itself runs for it at inference (same padding, data format, PReLU
 * shared axes, Flatten order, BatchNormalization epsilon, Dropout as identity). Adding a layer is one entry here.
 */
final class KerasLayers {
  private static final Map<String, Function<LayerContext, Operand<TFloat32>>> LOWERINGS = new TreeMap<>();

  static {
    LOWERINGS.put("Conv2D", KerasLayers::conv2d);
    LOWERINGS.put("DepthwiseConv2D", KerasLayers::depthwiseConv2d);
    LOWERINGS.put("Dense", KerasLayers::dense);
    LOWERINGS.put("BatchNormalization", KerasLayers::batchNorm);
    LOWERINGS.put("Activation", c -> activation(c, c.input(), activationName(c.config.get("activation"))));
    LOWERINGS.put("ReLU", KerasLayers::relu);
    LOWERINGS.put("LeakyReLU", c -> c.tf.withName("LeakyRelu").nn.leakyRelu(c.input(),
        org.tensorflow.op.nn.LeakyRelu.alpha((float) c.number("negative_slope", c.number("alpha", c.keras3 ? 0.2 : 0.3)))));
    LOWERINGS.put("ELU", c -> elu(c, c.input()));
    LOWERINGS.put("PReLU", KerasLayers::prelu);
    LOWERINGS.put("Softmax", c -> c.tf.withName("Softmax").nn.softmax(c.input()));
    LOWERINGS.put("MaxPooling2D", c -> pool(c, true));
    LOWERINGS.put("AveragePooling2D", c -> pool(c, false));
    LOWERINGS.put("GlobalAveragePooling2D", c -> c.tf.withName("Mean").math.mean(c.input(), c.tf.constant(new int[] {1, 2}),
        org.tensorflow.op.math.Mean.keepDims(c.bool("keepdims", false))));
    LOWERINGS.put("GlobalMaxPooling2D", c -> c.tf.withName("Max").max(c.input(), c.tf.constant(new int[] {1, 2}),
        org.tensorflow.op.core.Max.keepDims(c.bool("keepdims", false))));
    LOWERINGS.put("Flatten", KerasLayers::flatten);
    LOWERINGS.put("Reshape", KerasLayers::reshape);
    LOWERINGS.put("Dropout", LayerContext::input);
    LOWERINGS.put("SpatialDropout2D", LayerContext::input);
    LOWERINGS.put("GaussianNoise", LayerContext::input);
    LOWERINGS.put("GaussianDropout", LayerContext::input);
    LOWERINGS.put("ZeroPadding2D", KerasLayers::zeroPadding);
    LOWERINGS.put("Add", c -> merge(c, (a, b) -> c.tf.math.add(a, b)));
    LOWERINGS.put("Subtract", c -> c.tf.withName("sub").math.sub(c.inputs.get(0), c.inputs.get(1)));
    LOWERINGS.put("Multiply", c -> merge(c, (a, b) -> c.tf.math.mul(a, b)));
    LOWERINGS.put("Average", c -> c.tf.withName("truediv").math.mul(merge(c, (a, b) -> c.tf.math.add(a, b)), c.tf.constant(1f / c.inputs.size())));
    LOWERINGS.put("Concatenate", c -> c.tf.withName("concat").concat(c.inputs, c.tf.constant((int) c.number("axis", -1))));
    LOWERINGS.put("Rescaling", c -> c.tf.withName("add").math.add(c.tf.withName("mul").math.mul(c.input(), c.tf.constant((float) c.number("scale", 1))),
        c.tf.constant((float) c.number("offset", 0))));
  }

  private KerasLayers() {}

  static boolean supports(String className) {
    return LOWERINGS.containsKey(className);
  }

  static java.util.Set<String> supported() {
    return LOWERINGS.keySet();
  }

  static Operand<TFloat32> lower(LayerContext c) {
    return LOWERINGS.get(c.className).apply(c);
  }

  private static Operand<TFloat32> conv2d(LayerContext c) {
    c.requireChannelsLast();
    if (c.number("groups", 1) != 1) {
      throw new UnsupportedLayerException("grouped convolution (groups > 1) is not supported");
    }
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    Operand<TFloat32> y = c.tf.withName("Conv2D").nn.conv2d(c.input(), c.weight(0, "kernel"), List.of(1L, strides[0], strides[1], 1L),
        c.string("padding", "valid").toUpperCase(), Conv2d.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
    if (c.bool("use_bias", true)) {
      y = c.tf.withName("BiasAdd").nn.biasAdd(y, c.weight(1, "bias"));
    }
    return activation(c, y, activationName(c.config.get("activation")));
  }

  private static Operand<TFloat32> depthwiseConv2d(LayerContext c) {
    c.requireChannelsLast();
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    Operand<TFloat32> y = c.tf.withName("depthwise").nn.depthwiseConv2dNative(c.input(), c.weight(0, "depthwise_kernel"),
        List.of(1L, strides[0], strides[1], 1L), c.string("padding", "valid").toUpperCase(),
        DepthwiseConv2dNative.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
    if (c.bool("use_bias", true)) {
      y = c.tf.withName("BiasAdd").nn.biasAdd(y, c.weight(1, "bias"));
    }
    return activation(c, y, activationName(c.config.get("activation")));
  }

  /** Dense on the last axis; higher-rank inputs go through a reshape, as Keras' tensordot does. */
  private static Operand<TFloat32> dense(LayerContext c) {
    Operand<TFloat32> x = c.input();
    long[] shape = x.shape().asArray();
    long in = shape[shape.length - 1];
    if (shape.length > 2) {
      x = c.tf.withName("Tensordot_Reshape").reshape(x, c.tf.constant(new long[] {-1, in}));
    }
    Operand<TFloat32> y = c.tf.withName("MatMul").linalg.matMul(x, c.weight(0, "kernel"));
    if (c.bool("use_bias", true)) {
      y = c.tf.withName("BiasAdd").nn.biasAdd(y, c.weight(1, "bias"));
    }
    if (shape.length > 2) {
      long[] out = shape.clone();
      out[0] = -1;
      out[out.length - 1] = c.weights.get(0).shape()[1];
      y = c.tf.withName("Tensordot").reshape(y, c.tf.constant(out));
    }
    return activation(c, y, activationName(c.config.get("activation")));
  }

  /** Inference batch norm on the last axis: x * gamma / sqrt(var + eps) + (beta - mean * gamma / sqrt(var + eps)). */
  private static Operand<TFloat32> batchNorm(LayerContext c) {
    JsonNode axis = c.config.get("axis");
    int rank = c.input().shape().numDimensions();
    int ax = axis == null ? -1 : (axis.isArray() ? axis.get(0).asInt() : axis.asInt());
    if (ax != -1 && ax != rank - 1) {
      throw new UnsupportedLayerException("axis " + ax + " is not supported; only the last (channels) axis");
    }
    int i = 0;
    float[] gamma = c.bool("scale", true) ? c.weights.get(i++).floats() : null;
    float[] beta = c.bool("center", true) ? c.weights.get(i++).floats() : null;
    float[] mean = c.weights.get(i++).floats();
    float[] variance = c.weights.get(i).floats();
    double epsilon = c.number("epsilon", 1e-3);
    float[] multiplier = new float[mean.length];
    float[] shift = new float[mean.length];
    for (int ch = 0; ch < mean.length; ch++) {
      multiplier[ch] = (float) ((gamma == null ? 1 : gamma[ch]) / Math.sqrt(variance[ch] + epsilon));
      shift[ch] = (beta == null ? 0 : beta[ch]) - mean[ch] * multiplier[ch];
    }
    long[] shape = {mean.length};
    return c.tf.withName("batchnorm_add").math.add(c.tf.withName("batchnorm_mul").math.mul(c.input(), c.constant(multiplier, shape, "batchnorm_scale")),
        c.constant(shift, shape, "batchnorm_shift"));
  }

  private static Operand<TFloat32> relu(LayerContext c) {
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

  /** Keras' PReLU: relu(x) - alpha * relu(-x), fused back into one PRELU by the converter. */
  private static Operand<TFloat32> prelu(LayerContext c) {
    Operand<TFloat32> alpha = c.weight(0, "alpha");
    Operand<TFloat32> pos = c.tf.withName("Relu").nn.relu(c.input());
    Operand<TFloat32> neg = c.tf.withName("mul").math.mul(c.tf.withName("Neg").math.neg(alpha),
        c.tf.withName("Relu_1").nn.relu(c.tf.withName("Neg_1").math.neg(c.input())));
    return c.tf.withName("add").math.add(pos, neg);
  }

  private static Operand<TFloat32> pool(LayerContext c, boolean max) {
    c.requireChannelsLast();
    long[] size = c.pair("pool_size", new long[] {2, 2});
    long[] strides = c.pair("strides", size);
    List<Long> k = List.of(1L, size[0], size[1], 1L);
    List<Long> s = List.of(1L, strides[0], strides[1], 1L);
    String padding = c.string("padding", "valid").toUpperCase();
    return max ? c.tf.withName("MaxPool").nn.maxPool(c.input(), c.tf.constant(new int[] {1, (int) size[0], (int) size[1], 1}),
        c.tf.constant(new int[] {1, (int) strides[0], (int) strides[1], 1}), padding)
        : c.tf.withName("AvgPool").nn.avgPool(c.input(), k, s, padding);
  }

  private static Operand<TFloat32> flatten(LayerContext c) {
    long[] shape = c.input().shape().asArray();
    long features = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new UnsupportedLayerException("Flatten of an input with unknown dimensions " + java.util.Arrays.toString(shape));
      }
      features *= shape[i];
    }
    return c.tf.withName("Reshape").reshape(c.input(), c.tf.constant(new long[] {-1, features}));
  }

  private static Operand<TFloat32> reshape(LayerContext c) {
    JsonNode target = c.config.get("target_shape");
    long[] shape = new long[target.size() + 1];
    shape[0] = -1;
    for (int i = 0; i < target.size(); i++) {
      shape[i + 1] = target.get(i).asLong();
    }
    return c.tf.withName("Reshape").reshape(c.input(), c.tf.constant(shape));
  }

  private static Operand<TFloat32> zeroPadding(LayerContext c) {
    JsonNode p = c.config.get("padding");
    int[][] pads = new int[4][2];
    if (p.isNumber()) {
      pads[1] = new int[] {p.asInt(), p.asInt()};
      pads[2] = new int[] {p.asInt(), p.asInt()};
    } else {
      for (int i = 0; i < 2; i++) {
        JsonNode d = p.get(i);
        pads[i + 1] = d.isNumber() ? new int[] {d.asInt(), d.asInt()} : new int[] {d.get(0).asInt(), d.get(1).asInt()};
      }
    }
    return c.tf.withName("Pad").pad(c.input(), c.tf.constant(pads), c.tf.constant(0f));
  }

  private static Operand<TFloat32> merge(LayerContext c, java.util.function.BinaryOperator<Operand<TFloat32>> op) {
    Operand<TFloat32> acc = c.inputs.get(0);
    for (int i = 1; i < c.inputs.size(); i++) {
      acc = op.apply(acc, c.inputs.get(i));
    }
    return acc;
  }

  static String activationName(JsonNode activation) {
    if (activation == null || activation.isNull()) {
      return "linear";
    }
    if (activation.isTextual()) {
      return activation.asText();
    }
    JsonNode name = activation.has("config") && activation.get("config").has("name") ? activation.get("config").get("name") : activation.get("class_name");
    return name == null ? "unknown" : name.asText().toLowerCase();
  }

  static Operand<TFloat32> activation(LayerContext c, Operand<TFloat32> x, String name) {
    Ops tf = c.tf;
    return switch (name) {
      case "linear" -> x;
      case "relu" -> tf.withName("Relu").nn.relu(x);
      case "relu6" -> tf.withName("Relu6").nn.relu6(x);
      case "sigmoid" -> tf.withName("Sigmoid").math.sigmoid(x);
      case "tanh" -> tf.withName("Tanh").math.tanh(x);
      case "softmax" -> tf.withName("Softmax").nn.softmax(x);
      case "swish", "silu" -> tf.withName("mul").math.mul(x, tf.withName("Sigmoid").math.sigmoid(x));
      case "elu" -> elu(c, x);
      case "leaky_relu" -> tf.withName("LeakyRelu").nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0.2f));
      default -> throw new UnsupportedLayerException("activation '" + name + "' is not supported yet");
    };
  }

  private static Operand<TFloat32> elu(LayerContext c, Operand<TFloat32> x) {
    if (c.number("alpha", 1.0) != 1.0) {
      throw new UnsupportedLayerException("ELU with alpha " + c.number("alpha", 1.0) + " is not supported (only 1.0)");
    }
    return c.tf.withName("Elu").nn.elu(x);
  }

}
