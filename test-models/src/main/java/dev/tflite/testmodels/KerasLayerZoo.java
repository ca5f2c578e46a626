package dev.tflite.testmodels;

import static dev.tflite.testmodels.KerasZoo.pair;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer catalogue: one small real Keras 3 file per layer class and setting, the layer between an input and a
 * Dense head where its output needs one, so every lowering is converted and validated on its own.
 */
public final class KerasLayerZoo {
  private KerasLayerZoo() {}

  /** A row: a model with one layer under test, {@code in} its input shape (without the batch). */
  private record Layer(String name, long[] in, String className, ObjectNode config, long[] out, List<long[]> weights) {}

  private static final List<Layer> LAYERS = new ArrayList<>();
  private static final java.util.Set<String> IDENTITY_AT_INFERENCE = java.util.Set.of("Dropout", "GaussianDropout", "GaussianNoise", "SpatialDropout2D");

  private static void row(String name, long[] in, String className, ObjectNode config, long[] out, long[]... weights) {
    LAYERS.add(new Layer(name, in, className, config, out, List.of(weights)));
  }

  private static ObjectNode c() {
    return KerasFileBuilder.config();
  }

  private static long[] s(long... dims) {
    return dims;
  }

  static {
    long[] img = {9, 9, 4};
    long[] seq = {12, 4};
    row("separable_conv2d", img, "SeparableConv2D", pair(pair(c().put("padding", "same").put("depth_multiplier", 2).put("use_bias", true)
        .put("activation", "relu").put("filters", 6), "kernel_size", 3, 3), "strides", 1, 1), s(9, 9, 6), s(3, 3, 4, 2), s(1, 1, 8, 6), s(6));
    row("average_pooling1d", seq, "AveragePooling1D", poolConfig(3, 2, "valid"), s(5, 4));
    row("global_max_pooling1d", seq, "GlobalMaxPooling1D", c(), s(4));
    row("global_max_pooling2d", img, "GlobalMaxPooling2D", c().put("keepdims", true), s(1, 1, 4));
    row("max_pooling2d_same", img, "MaxPooling2D", pair(pair(c().put("padding", "same"), "pool_size", 3, 3), "strides", 2, 2), s(5, 5, 4));
    row("permute", img, "Permute", c().set("dims", c().arrayNode().add(2).add(1).add(3)), s(9, 9, 4));
    row("zero_padding2d", img, "ZeroPadding2D", c().set("padding", c().arrayNode().add(c().arrayNode().add(1).add(2))
        .add(c().arrayNode().add(0).add(1))), s(12, 10, 4));
    row("elu", img, "ELU", c().put("alpha", 1.0), img);
    row("leaky_relu", img, "LeakyReLU", c().put("negative_slope", 0.1), img);
    row("prelu", img, "PReLU", c().set("shared_axes", c().arrayNode().add(1).add(2)), img, s(1, 1, 4));
    row("softmax", seq, "Softmax", c().put("axis", -1), seq);
    row("rescaling", img, "Rescaling", c().put("scale", 1 / 127.5).put("offset", -1.0), img);
    row("dropout", seq, "Dropout", c().put("rate", 0.5), seq);
    row("gaussian_dropout", seq, "GaussianDropout", c().put("rate", 0.2), seq);
    row("gaussian_noise", seq, "GaussianNoise", c().put("stddev", 0.1), seq);
    row("spatial_dropout2d", img, "SpatialDropout2D", c().put("rate", 0.3), img);
    row("conv2d_groups", img, "Conv2D", pair(pair(c().put("filters", 6).put("padding", "same").put("groups", 2).put("use_bias", true)
        .put("activation", "linear"), "kernel_size", 3, 3), "strides", 1, 1), s(9, 9, 6), s(3, 3, 2, 6), s(6));
    row("depthwise_conv1d", seq, "DepthwiseConv1D", c().put("kernel_size", 3).put("strides", 1).put("padding", "same").put("depth_multiplier", 2)
        .put("use_bias", true).put("activation", "relu"), s(12, 8), s(3, 4, 2), s(8));
    row("separable_conv1d", seq, "SeparableConv1D", c().put("filters", 5).put("kernel_size", 3).put("strides", 1).put("padding", "valid")
        .put("depth_multiplier", 1).put("use_bias", true).put("activation", "linear"), s(10, 5), s(3, 4, 1), s(1, 4, 5), s(5));
    row("layer_normalization", seq, "LayerNormalization", c().put("axis", -1).put("epsilon", 1e-3), seq, s(4), s(4));
    row("group_normalization", img, "GroupNormalization", c().put("groups", 2).put("axis", -1).put("epsilon", 1e-3), img, s(4), s(4));
    row("unit_normalization", seq, "UnitNormalization", c().put("axis", -1), seq);
    row("normalization_adapted", img, "Normalization", c().put("axis", -1), img, s(4), s(4));
    row("normalization_from_config", seq, "Normalization", c().put("axis", -1).put("mean", 0.5).put("variance", 4.0), seq);
    row("resizing_bilinear", img, "Resizing", c().put("height", 5).put("width", 13).put("interpolation", "bilinear"), s(5, 13, 4));
    row("resizing_nearest", img, "Resizing", c().put("height", 12).put("width", 7).put("interpolation", "nearest"), s(12, 7, 4));
    row("center_crop", img, "CenterCrop", c().put("height", 4).put("width", 6), s(4, 6, 4));
    row("cropping1d", seq, "Cropping1D", c().set("cropping", c().arrayNode().add(2).add(3)), s(7, 4));
    row("cropping2d", img, "Cropping2D", c().set("cropping", c().arrayNode().add(c().arrayNode().add(1).add(2)).add(c().arrayNode().add(3).add(0))),
        s(6, 6, 4));
    row("zero_padding1d", seq, "ZeroPadding1D", c().set("padding", c().arrayNode().add(1).add(3)), s(16, 4));
    row("upsampling1d", seq, "UpSampling1D", c().put("size", 3), s(36, 4));
    row("upsampling2d_bilinear", img, "UpSampling2D", pair(c().put("interpolation", "bilinear"), "size", 2, 3), s(18, 27, 4));
    row("softmax_axis1", seq, "Softmax", c().put("axis", 1), seq);
    row("relu_max_value", img, "ReLU", c().put("max_value", 1.5), img);
    row("relu_negative_slope_max", img, "ReLU", c().put("max_value", 1.0).put("negative_slope", 0.2), img);
    row("relu_negative_slope", img, "ReLU", c().put("negative_slope", 0.3), img);
    row("elu_alpha", img, "ELU", c().put("alpha", 0.5), img);
    row("flatten_channels_first", img, "Flatten", c().put("data_format", "channels_first"), s(9 * 9 * 4));
    row("reshape_minus_one", img, "Reshape", c().set("target_shape", c().arrayNode().add(-1).add(12)), s(27, 12));
    for (String fn : List.of("softplus", "softsign", "selu", "exponential", "mish", "log_softmax", "relu6", "silu", "gelu", "hard_sigmoid",
        "log_sigmoid", "hard_tanh", "tanh_shrink", "elu", "leaky_relu", "hard_silu")) {
      row("activation_" + fn, seq, "Activation", c().put("activation", fn), seq);
    }
    // recurrent layers, unrolled: one row per kind and output mode (Keras' own files of every setting are in
    // fixtures/generated/keras-recurrent); weights as a Keras 3 file keeps a layer's own
    row("lstm_sequences_7", s(7, 3), "LSTM", recurrent(c().put("units", 5).put("return_sequences", true)), s(7, 5), s(3, 20), s(5, 20), s(20));
    row("lstm_last_50", s(50, 3), "LSTM", recurrent(c().put("units", 4).put("go_backwards", true)), s(4), s(3, 16), s(4, 16), s(16));
    row("gru_reset_after_1", s(1, 3), "GRU", recurrent(c().put("units", 4).put("reset_after", true).put("return_sequences", true)), s(1, 4),
        s(3, 12), s(4, 12), s(2, 12));
    row("gru_reset_before_7", s(7, 3), "GRU", recurrent(c().put("units", 4).put("reset_after", false)), s(4), s(3, 12), s(4, 12), s(12));
    row("simple_rnn_7", s(7, 3), "SimpleRNN", recurrent(c().put("units", 5).put("return_sequences", true).put("activation", "relu")), s(7, 5),
        s(3, 5), s(5, 5), s(5));
    row("repeat_vector", s(6), "RepeatVector", c().put("n", 4), s(4, 6));
    ObjectNode dense = c();
    dense.put("class_name", "Dense").set("config", c().put("name", "dense").put("units", 3).put("activation", "relu").put("use_bias", true));
    row("time_distributed_dense", s(7, 4), "TimeDistributed", c().set("layer", dense), s(7, 3), s(4, 3), s(3));
    row("dense_on_sequence", seq, "Dense", c().put("units", 3).put("activation", "tanh").put("use_bias", true), s(12, 3), s(4, 3), s(3));
    // volumes: CONV_3D, and the 3-D pools as two builtin 2-D pools (the official converter needs custom ops for those)
    long[] volume = {5, 7, 8, 3};
    row("conv3d", volume, "Conv3D", triple(triple(triple(c().put("filters", 4).put("padding", "same").put("use_bias", true).put("activation", "relu"),
        "kernel_size", 3, 3, 3), "strides", 1, 2, 2), "dilation_rate", 1, 1, 1), s(5, 4, 4, 4), s(3, 3, 3, 3, 4), s(4));
    row("max_pooling3d", volume, "MaxPooling3D", triple(triple(c().put("padding", "valid"), "pool_size", 2, 2, 2), "strides", 2, 2, 2), s(2, 3, 4, 3));
    row("average_pooling3d_same", volume, "AveragePooling3D", triple(triple(c().put("padding", "same"), "pool_size", 3, 3, 3), "strides", 2, 2, 2),
        s(3, 4, 4, 3));
  }

  private static ObjectNode triple(ObjectNode config, String key, long a, long b, long d) {
    config.putArray(key).add(a).add(b).add(d);
    return config;
  }

  /** A recurrent layer's settings with Keras' defaults for those the row does not set. */
  private static ObjectNode recurrent(ObjectNode config) {
    if (!config.has("activation")) {
      config.put("activation", "tanh");
    }
    return config.put("recurrent_activation", "sigmoid").put("use_bias", true);
  }

  private static ObjectNode poolConfig(long size, long stride, String padding) {
    ObjectNode p = c().put("padding", padding);
    p.putArray("pool_size").add(size);
    p.putArray("strides").add(stride);
    return p;
  }

  /** The merge layers, each on two inputs of the same shape. */
  private static Path merge(Path file, String className) {
    KerasFileBuilder k = new KerasFileBuilder(className.toLowerCase(), 41);
    String a = k.input("a", 6, 5);
    String b = k.input("b", 6, 5);
    return k.write(file, k.layer(className, "merged", c(), new long[] {6, 5}, List.of(), a, b));
  }

  /** Dot of two [N, d] inputs, normalized or not. */
  private static Path dot(Path file, boolean normalize) {
    KerasFileBuilder k = new KerasFileBuilder("dot", 42);
    String a = k.input("a", 7);
    String b = k.input("b", 7);
    ObjectNode config = c().put("normalize", normalize);
    config.putArray("axes").add(1).add(1);
    return k.write(file, k.layer("Dot", "dot", config, new long[] {1}, List.of(), a, b));
  }

  public static List<KerasZoo.Entry> entries() {
    List<KerasZoo.Entry> entries = new ArrayList<>();
    for (Layer layer : LAYERS) {
      entries.add(new KerasZoo.Entry("layer_" + layer.name(), file -> {
        KerasFileBuilder k = new KerasFileBuilder(layer.name(), 40);
        String x = k.input("x", layer.in());
        if (IDENTITY_AT_INFERENCE.contains(layer.className())) { // a model whose output is its input cannot be run
          x = k.layer("Rescaling", "pre", c().put("scale", 2.0).put("offset", 0.5), layer.in(), List.of(), x);
        }
        return k.write(file, k.layer(layer.className(), layer.name(), layer.config().deepCopy(), layer.out(), layer.weights(), x));
      }, -2, 2));
    }
    for (String merge : List.of("Subtract", "Average", "Maximum", "Minimum")) {
      entries.add(new KerasZoo.Entry("layer_" + merge.toLowerCase(), file -> merge(file, merge), -2, 2));
    }
    entries.add(new KerasZoo.Entry("layer_dot", file -> dot(file, false), -2, 2));
    entries.add(new KerasZoo.Entry("layer_dot_normalized", file -> dot(file, true), -2, 2));
    return entries;
  }
}
