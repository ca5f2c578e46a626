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
    LOWERINGS.put("SeparableConv2D", KerasLayers::separableConv2d);
    LOWERINGS.put("Conv2DTranspose", KerasLayers::conv2dTranspose);
    LOWERINGS.put("Conv1D", KerasLayers::conv1d);
    LOWERINGS.put("MaxPooling1D", c -> pool1d(c, true));
    LOWERINGS.put("AveragePooling1D", c -> pool1d(c, false));
    LOWERINGS.put("GlobalAveragePooling1D", c -> c.tf.withName("Mean").math.mean(c.input(), c.tf.constant(new int[] {1}),
        org.tensorflow.op.math.Mean.keepDims(c.bool("keepdims", false))));
    LOWERINGS.put("GlobalMaxPooling1D", c -> c.tf.withName("Max").max(c.input(), c.tf.constant(new int[] {1}),
        org.tensorflow.op.core.Max.keepDims(c.bool("keepdims", false))));
    LOWERINGS.put("UpSampling2D", KerasLayers::upSampling2d);
    LOWERINGS.put("Permute", KerasLayers::permute);
    LOWERINGS.put("Embedding", KerasLayers::embedding);
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
    return biasAndActivation(c, y, 1);
  }

  private static Operand<TFloat32> depthwiseConv2d(LayerContext c) {
    c.requireChannelsLast();
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    Operand<TFloat32> y = c.tf.withName("depthwise").nn.depthwiseConv2dNative(c.input(), c.weight(0, "depthwise_kernel"),
        List.of(1L, strides[0], strides[1], 1L), c.string("padding", "valid").toUpperCase(),
        DepthwiseConv2dNative.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
    return biasAndActivation(c, y, 1);
  }

  /** SeparableConv2D: depthwise then 1x1 pointwise convolution, then bias and activation (tf.nn.separable_conv2d). */
  private static Operand<TFloat32> separableConv2d(LayerContext c) {
    c.requireChannelsLast();
    long[] strides = c.pair("strides", new long[] {1, 1});
    long[] dilation = c.pair("dilation_rate", new long[] {1, 1});
    Operand<TFloat32> depthwise = c.tf.withName("separable_conv2d_depthwise").nn.depthwiseConv2dNative(c.input(), c.weight(0, "depthwise_kernel"),
        List.of(1L, strides[0], strides[1], 1L), c.string("padding", "valid").toUpperCase(),
        DepthwiseConv2dNative.dilations(List.of(1L, dilation[0], dilation[1], 1L)));
    Operand<TFloat32> y = c.tf.withName("separable_conv2d").nn.conv2d(depthwise, c.weight(1, "pointwise_kernel"), List.of(1L, 1L, 1L, 1L), "VALID");
    return biasAndActivation(c, y, 2);
  }

  /** Conv2DTranspose: conv2d_transpose with the output shape Keras computes (batch from the input), then bias. */
  private static Operand<TFloat32> conv2dTranspose(LayerContext c) {
    c.requireChannelsLast();
    if (c.config.hasNonNull("output_padding")) {
      throw new UnsupportedLayerException("output_padding is not supported");
    }
    long[] k = c.pair("kernel_size", null);
    long[] strides = c.pair("strides", new long[] {1, 1});
    String padding = c.string("padding", "valid");
    long[] in = c.input().shape().asArray();
    long filters = c.weights.get(0).shape()[2];
    long h = padding.equals("same") ? in[1] * strides[0] : (in[1] - 1) * strides[0] + k[0];
    long w = padding.equals("same") ? in[2] * strides[1] : (in[2] - 1) * strides[1] + k[1];
    Operand<org.tensorflow.types.TInt32> batch = c.tf.withName("strided_slice").stridedSlice(c.tf.withName("Shape").shape(c.input()),
        c.tf.constant(new int[] {0}), c.tf.constant(new int[] {1}), c.tf.constant(new int[] {1}), org.tensorflow.op.core.StridedSlice.shrinkAxisMask(1L));
    Operand<org.tensorflow.types.TInt32> outputShape = c.tf.withName("stack").stack(
        List.of(batch, c.tf.constant((int) h), c.tf.constant((int) w), c.tf.constant((int) filters)));
    Operand<TFloat32> y = c.tf.withName("conv2d_transpose").nn.conv2dBackpropInput(outputShape, c.weight(0, "kernel"), c.input(),
        List.of(1L, strides[0], strides[1], 1L), padding.toUpperCase());
    return biasAndActivation(c, y, 1);
  }

  /** Conv1D as TensorFlow runs it: expand to [N, 1, W, C], Conv2D with a [1, k, in, out] kernel, squeeze. */
  private static Operand<TFloat32> conv1d(LayerContext c) {
    if (!c.string("data_format", "channels_last").equals("channels_last") || c.string("padding", "valid").equals("causal")) {
      throw new UnsupportedLayerException("only channels_last Conv1D with valid or same padding is supported");
    }
    long stride = c.config.get("strides").isArray() ? c.config.get("strides").get(0).asLong() : c.config.get("strides").asLong();
    long dilation = c.config.has("dilation_rate") ? (c.config.get("dilation_rate").isArray() ? c.config.get("dilation_rate").get(0).asLong()
        : c.config.get("dilation_rate").asLong()) : 1;
    Operand<TFloat32> x = c.tf.withName("conv1d_ExpandDims").expandDims(c.input(), c.tf.constant(-3));
    var kernel = c.weights.get(0);
    long[] ks = kernel.shape();
    Operand<TFloat32> filter = c.constant(kernel.reshaped(new long[] {1, ks[0], ks[1], ks[2]}), "kernel");
    Operand<TFloat32> y = c.tf.withName("conv1d").nn.conv2d(x, filter, List.of(1L, 1L, stride, 1L), c.string("padding", "valid").toUpperCase(),
        Conv2d.dilations(List.of(1L, 1L, dilation, 1L)));
    y = c.tf.withName("conv1d_Squeeze").squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of(-3L)));
    return biasAndActivation(c, y, 1);
  }

  /** 1D pooling as Keras runs it: expand to [N, W, 1, C], pool over (p, 1), squeeze. */
  private static Operand<TFloat32> pool1d(LayerContext c, boolean max) {
    long size = c.config.get("pool_size").isArray() ? c.config.get("pool_size").get(0).asLong() : c.config.get("pool_size").asLong();
    JsonNode s = c.config.get("strides");
    long stride = s == null || s.isNull() ? size : s.isArray() ? s.get(0).asLong() : s.asLong();
    String padding = c.string("padding", "valid").toUpperCase();
    Operand<TFloat32> x = c.tf.withName("ExpandDims").expandDims(c.input(), c.tf.constant(2));
    Operand<TFloat32> y = max
        ? c.tf.withName("MaxPool").nn.maxPool(x, c.tf.constant(new int[] {1, (int) size, 1, 1}), c.tf.constant(new int[] {1, (int) stride, 1, 1}), padding)
        : c.tf.withName("AvgPool").nn.avgPool(x, List.of(1L, size, 1L, 1L), List.of(1L, stride, 1L, 1L), padding);
    return c.tf.withName("Squeeze").squeeze(y, org.tensorflow.op.core.Squeeze.axis(List.of(2L)));
  }

  /** UpSampling2D(nearest) as Keras runs it: tf.image.resize(nearest), i.e. ResizeNearestNeighbor with half-pixel centers. */
  private static Operand<TFloat32> upSampling2d(LayerContext c) {
    c.requireChannelsLast();
    if (!c.string("interpolation", "nearest").equals("nearest")) {
      throw new UnsupportedLayerException("interpolation " + c.string("interpolation", "") + " is not supported (only nearest)");
    }
    long[] size = c.pair("size", new long[] {2, 2});
    long[] in = c.input().shape().asArray();
    return c.tf.withName("resize").image.resizeNearestNeighbor(c.input(), c.tf.constant(new int[] {(int) (in[1] * size[0]), (int) (in[2] * size[1])}),
        org.tensorflow.op.image.ResizeNearestNeighbor.halfPixelCenters(true));
  }

  /** Embedding: a gather of rows of the embedding matrix by the integer input (tf.nn.embedding_lookup). */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> embedding(LayerContext c) {
    Operand<?> ids = c.input();
    if (ids.asOutput().dataType() != org.tensorflow.proto.DataType.DT_INT32) {
      throw new UnsupportedLayerException("its input must be integer token ids (an int32 Input)");
    }
    return c.tf.withName("embedding_lookup").gather(c.weight(0, "embeddings"),
        (Operand<org.tensorflow.types.TInt32>) ids, c.tf.constant(0));
  }

  private static Operand<TFloat32> permute(LayerContext c) {
    JsonNode dims = c.config.get("dims");
    int[] perm = new int[dims.size() + 1];
    for (int i = 0; i < dims.size(); i++) {
      perm[i + 1] = dims.get(i).asInt();
    }
    return c.tf.withName("transpose").linalg.transpose(c.input(), c.tf.constant(perm));
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

  /** What every weighted layer ends with: the optional bias (weight {@code biasIndex}), then its activation. */
  private static Operand<TFloat32> biasAndActivation(LayerContext c, Operand<TFloat32> y, int biasIndex) {
    Operand<TFloat32> out = y;
    if (c.bool("use_bias", true)) {
      out = c.tf.withName("BiasAdd").nn.biasAdd(out, c.weight(biasIndex, "bias"));
    }
    return activation(c, out, activationName(c.config.get("activation")));
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
      case "hard_sigmoid" -> hardSigmoid(c, x);
      case "gelu" -> tf.withName("gelu").math.mul(tf.withName("gelu_half_x").math.mul(x, tf.constant(0.5f)),
          tf.withName("gelu_one_plus").math.add(tf.constant(1f), tf.withName("Erf").math.erf(tf.withName("gelu_scaled").math.mul(x,
              tf.constant((float) (1 / Math.sqrt(2)))))));
      case "hard_swish", "hard_silu" -> tf.withName("hard_swish").math.mul(x, hardSigmoid(c, x));
      default -> throw new UnsupportedLayerException("activation '" + name + "' is not supported yet");
    };
  }

  /** Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2 x + 0.5, 0, 1), which is relu6(1.2 x + 3) / 6. */
  private static Operand<TFloat32> hardSigmoid(LayerContext c, Operand<TFloat32> x) {
    Ops tf = c.tf;
    Operand<TFloat32> scaled = c.keras3 ? x : tf.withName("hard_sigmoid_scale").math.mul(x, tf.constant(1.2f));
    return tf.withName("hard_sigmoid").math.mul(tf.withName("hard_sigmoid_relu6").nn.relu6(
        tf.withName("hard_sigmoid_shift").math.add(scaled, tf.constant(3f))), tf.constant(1f / 6));
  }

  private static Operand<TFloat32> elu(LayerContext c, Operand<TFloat32> x) {
    if (c.number("alpha", 1.0) != 1.0) {
      throw new UnsupportedLayerException("ELU with alpha " + c.number("alpha", 1.0) + " is not supported (only 1.0)");
    }
    return c.tf.withName("Elu").nn.elu(x);
  }

}
