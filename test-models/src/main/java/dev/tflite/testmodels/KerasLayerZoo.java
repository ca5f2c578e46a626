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
    row("dense_on_sequence", seq, "Dense", c().put("units", 3).put("activation", "tanh").put("use_bias", true), s(12, 3), s(4, 3), s(3));
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
    for (String merge : List.of("Subtract", "Average")) {
      entries.add(new KerasZoo.Entry("layer_" + merge.toLowerCase(), file -> merge(file, merge), -2, 2));
    }
    return entries;
  }
}
