package dev.tflite.testmodels;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The model zoo as real Keras 3 files: the architectures people ship, with seeded weights, each written as a
 * {@code .keras} file for the Keras importer.
 */
public final class KerasZoo {
  /** One zoo entry: its name, how to write it, and the input range it is validated on. */
  public record Entry(String name, Function<Path, Path> writer, double min, double max) {}

  public static final List<Entry> MODELS = List.of(
      new Entry("mobilenet_v2_style", KerasZoo::mobileNetV2, 0, 1),
      new Entry("resnet_style", KerasZoo::resNet, 0, 1),
      new Entry("unet_style", KerasZoo::uNet, 0, 1),
      new Entry("ds_cnn_keyword_spotting", KerasZoo::dsCnn, -1, 1),
      new Entry("mlp_autoencoder", KerasZoo::autoencoder, 0, 1),
      new Entry("efficientnet_block", KerasZoo::efficientNetBlock, -1, 1),
      new Entry("conv1d_sequence", KerasZoo::conv1dSequence, -1, 1),
      new Entry("text_classifier", KerasZoo::textClassifier, 0, 1000),
      new Entry("two_tower_shared", KerasZoo::twoTower, 0, 1),
      new Entry("dilated_context", KerasZoo::dilatedContext, -1, 1));

  private KerasZoo() {}

  // ---- layer helpers: each adds one Keras layer with its config, output shape and weight shapes ----

  static long same(long in, long stride) {
    return (in + stride - 1) / stride;
  }

  static long valid(long in, long k, long stride) {
    return (in - k) / stride + 1;
  }

  static ObjectNode pair(ObjectNode c, String key, long a, long b) {
    c.putArray(key).add(a).add(b);
    return c;
  }

  static String conv(KerasFileBuilder k, String name, String x, long filters, long kernel, long stride, String padding, boolean bias, String activation) {
    long[] s = k.shape(x);
    long h = padding.equals("same") ? same(s[1], stride) : valid(s[1], kernel, stride);
    long w = padding.equals("same") ? same(s[2], stride) : valid(s[2], kernel, stride);
    ObjectNode c = KerasFileBuilder.config().put("filters", filters).put("padding", padding).put("use_bias", bias).put("activation", activation)
        .put("data_format", "channels_last");
    pair(pair(pair(c, "kernel_size", kernel, kernel), "strides", stride, stride), "dilation_rate", 1, 1);
    List<long[]> ws = bias ? List.of(new long[] {kernel, kernel, s[3], filters}, new long[] {filters}) : List.of(new long[] {kernel, kernel, s[3], filters});
    return k.layer("Conv2D", name, c, new long[] {h, w, filters}, ws, x);
  }

  static String dw(KerasFileBuilder k, String name, String x, long kernel, long stride, String activation) {
    return dw(k, name, x, kernel, stride, activation, false);
  }

  static String dw(KerasFileBuilder k, String name, String x, long kernel, long stride, String activation, boolean bias) {
    long[] s = k.shape(x);
    ObjectNode c = KerasFileBuilder.config().put("depth_multiplier", 1).put("padding", "same").put("use_bias", bias).put("activation", activation);
    pair(pair(c, "kernel_size", kernel, kernel), "strides", stride, stride);
    List<long[]> ws = bias ? List.of(new long[] {kernel, kernel, s[3], 1}, new long[] {s[3]}) : List.of(new long[] {kernel, kernel, s[3], 1});
    return k.layer("DepthwiseConv2D", name, c, new long[] {same(s[1], stride), same(s[2], stride), s[3]}, ws, x);
  }

  static String bn(KerasFileBuilder k, String name, String x) {
    long[] s = k.shape(x);
    long ch = s[s.length - 1];
    ObjectNode c = KerasFileBuilder.config().put("axis", -1).put("epsilon", 1e-3).put("center", true).put("scale", true);
    return k.layer("BatchNormalization", name, c, java.util.Arrays.copyOfRange(s, 1, s.length),
        List.of(new long[] {ch}, new long[] {ch}, new long[] {ch}, new long[] {ch}), x);
  }

  static String activation(KerasFileBuilder k, String name, String x, String fn) {
    long[] s = k.shape(x);
    return k.layer("Activation", name, KerasFileBuilder.config().put("activation", fn), java.util.Arrays.copyOfRange(s, 1, s.length), List.of(), x);
  }

  static String relu6(KerasFileBuilder k, String name, String x) {
    long[] s = k.shape(x);
    return k.layer("ReLU", name, KerasFileBuilder.config().put("max_value", 6.0), java.util.Arrays.copyOfRange(s, 1, s.length), List.of(), x);
  }

  static String dense(KerasFileBuilder k, String name, String x, long units, String activation) {
    long[] s = k.shape(x);
    return k.layer("Dense", name, KerasFileBuilder.config().put("units", units).put("activation", activation).put("use_bias", true),
        new long[] {units}, List.of(new long[] {s[s.length - 1], units}, new long[] {units}), x);
  }

  static String merge(KerasFileBuilder k, String cls, String name, String... xs) {
    long[] s = k.shape(xs[0]);
    long[] out = java.util.Arrays.copyOfRange(s, 1, s.length);
    ObjectNode c = KerasFileBuilder.config();
    if (cls.equals("Concatenate")) {
      c.put("axis", -1);
      out[out.length - 1] = 0;
      for (String x : xs) {
        out[out.length - 1] += k.shape(x)[s.length - 1];
      }
    }
    return k.layer(cls, name, c, out, List.of(), xs);
  }

  static String pool(KerasFileBuilder k, String cls, String name, String x, long size) {
    long[] s = k.shape(x);
    ObjectNode c = pair(pair(KerasFileBuilder.config().put("padding", "valid"), "pool_size", size, size), "strides", size, size);
    return k.layer(cls, name, c, new long[] {valid(s[1], size, size), valid(s[2], size, size), s[3]}, List.of(), x);
  }

  static String gap(KerasFileBuilder k, String name, String x, boolean keepDims) {
    long[] s = k.shape(x);
    long[] out = keepDims ? new long[] {1, 1, s[3]} : new long[] {s[3]};
    return k.layer("GlobalAveragePooling2D", name, KerasFileBuilder.config().put("keepdims", keepDims), out, List.of(), x);
  }

  // ---- the zoo ----

  static Path mobileNetV2(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("mobilenet_v2_style", 21);
    String x = k.input("image", 96, 96, 3);
    x = relu6(k, "stem_relu", bn(k, "stem_bn", conv(k, "stem_conv", x, 16, 3, 2, "same", false, "linear")));
    long[][] blocks = {{6, 16, 1}, {6, 24, 2}, {6, 24, 1}, {6, 32, 2}};
    for (int i = 0; i < blocks.length; i++) {
      String in = x;
      long inCh = k.shape(x)[3];
      String h = relu6(k, "b" + i + "_expand_relu", bn(k, "b" + i + "_expand_bn", conv(k, "b" + i + "_expand", x, inCh * blocks[i][0], 1, 1, "same", false, "linear")));
      h = relu6(k, "b" + i + "_dw_relu", bn(k, "b" + i + "_dw_bn", dw(k, "b" + i + "_dw", h, 3, blocks[i][2], "linear")));
      h = bn(k, "b" + i + "_project_bn", conv(k, "b" + i + "_project", h, blocks[i][1], 1, 1, "same", false, "linear"));
      x = blocks[i][2] == 1 && inCh == blocks[i][1] ? merge(k, "Add", "b" + i + "_add", in, h) : h;
    }
    x = gap(k, "gap", x, false);
    x = dense(k, "predictions", x, 10, "softmax");
    return k.write(file, x);
  }

  static Path resNet(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("resnet_style", 22);
    String x = k.input("image", 64, 64, 3);
    x = activation(k, "stem_relu", bn(k, "stem_bn", conv(k, "stem_conv", x, 32, 3, 1, "same", false, "linear")), "relu");
    x = pool(k, "MaxPooling2D", "stem_pool", x, 2);
    for (int i = 0; i < 2; i++) {
      String h = activation(k, "r" + i + "_relu1", bn(k, "r" + i + "_bn1", conv(k, "r" + i + "_conv1", x, 32, 3, 1, "same", false, "linear")), "relu");
      h = bn(k, "r" + i + "_bn2", conv(k, "r" + i + "_conv2", h, 32, 3, 1, "same", false, "linear"));
      x = activation(k, "r" + i + "_out", merge(k, "Add", "r" + i + "_add", x, h), "relu");
    }
    x = dense(k, "predictions", gap(k, "gap", x, false), 10, "softmax");
    return k.write(file, x);
  }

  static Path uNet(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("unet_style", 23);
    String x = k.input("image", 32, 32, 1);
    String e1 = conv(k, "enc1", x, 8, 3, 1, "same", true, "relu");
    String p1 = pool(k, "MaxPooling2D", "pool1", e1, 2);
    String e2 = conv(k, "enc2", p1, 16, 3, 1, "same", true, "relu");
    String p2 = pool(k, "MaxPooling2D", "pool2", e2, 2);
    String b = conv(k, "bottleneck", p2, 32, 3, 1, "same", true, "relu");
    long[] bs = k.shape(b);
    ObjectNode upc = pair(KerasFileBuilder.config().put("interpolation", "nearest"), "size", 2, 2);
    String u2 = k.layer("UpSampling2D", "up2", upc, new long[] {bs[1] * 2, bs[2] * 2, bs[3]}, List.of(), b);
    String d2 = conv(k, "dec2", merge(k, "Concatenate", "cat2", u2, e2), 16, 3, 1, "same", true, "relu");
    long[] ds = k.shape(d2);
    ObjectNode tc = pair(pair(KerasFileBuilder.config().put("filters", 8).put("padding", "same").put("use_bias", true).put("activation", "relu"),
        "kernel_size", 2, 2), "strides", 2, 2);
    String u1 = k.layer("Conv2DTranspose", "up1", tc, new long[] {ds[1] * 2, ds[2] * 2, 8}, List.of(new long[] {2, 2, 8, ds[3]}, new long[] {8}), d2);
    String d1 = conv(k, "dec1", merge(k, "Concatenate", "cat1", u1, e1), 8, 3, 1, "same", true, "relu");
    String mask = conv(k, "mask", d1, 1, 1, 1, "same", true, "sigmoid");
    return k.write(file, mask);
  }

  static Path dsCnn(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("ds_cnn_keyword_spotting", 24);
    String x = k.input("mfcc", 49, 10, 1);
    long[] s = k.shape(x);
    ObjectNode c = KerasFileBuilder.config().put("filters", 32).put("padding", "same").put("use_bias", false).put("activation", "linear");
    pair(pair(c, "kernel_size", 10, 4), "strides", 2, 2);
    x = k.layer("Conv2D", "conv1", c, new long[] {same(s[1], 2), same(s[2], 2), 32}, List.of(new long[] {10, 4, 1, 32}), x);
    x = activation(k, "relu1", bn(k, "bn1", x), "relu");
    for (int i = 0; i < 2; i++) {
      x = activation(k, "dw" + i + "_relu", bn(k, "dw" + i + "_bn", dw(k, "dw" + i, x, 3, 1, "linear")), "relu");
      x = activation(k, "pw" + i + "_relu", bn(k, "pw" + i + "_bn", conv(k, "pw" + i, x, 32, 1, 1, "same", false, "linear")), "relu");
    }
    long[] t = k.shape(x);
    ObjectNode avg = pair(pair(KerasFileBuilder.config().put("padding", "valid"), "pool_size", t[1], t[2]), "strides", t[1], t[2]);
    x = k.layer("AveragePooling2D", "avg_pool", avg, new long[] {1, 1, t[3]}, List.of(), x);
    x = k.layer("Flatten", "flatten", KerasFileBuilder.config(), new long[] {t[3]}, List.of(), x);
    x = dense(k, "keywords", x, 12, "softmax");
    return k.write(file, x);
  }

  static Path autoencoder(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("mlp_autoencoder", 25);
    String x = k.input("pixels", 784);
    x = dense(k, "enc1", x, 128, "relu");
    x = dense(k, "code", x, 32, "gelu");
    x = dense(k, "dec1", x, 128, "relu");
    x = dense(k, "reconstruction", x, 784, "sigmoid");
    return k.write(file, x);
  }

  static Path efficientNetBlock(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("efficientnet_block", 26);
    String in = k.input("features", 32, 32, 16);
    String x = activation(k, "expand_swish", bn(k, "expand_bn", conv(k, "expand", in, 64, 1, 1, "same", false, "linear")), "swish");
    x = activation(k, "dw_swish", bn(k, "dw_bn", dw(k, "dw", x, 3, 1, "linear")), "swish");
    String se = gap(k, "se_squeeze", x, false);
    se = k.layer("Reshape", "se_reshape", KerasFileBuilder.config().set("target_shape", KerasFileBuilder.config().arrayNode().add(1).add(1).add(64)),
        new long[] {1, 1, 64}, List.of(), se);
    se = conv(k, "se_reduce", se, 4, 1, 1, "same", true, "swish");
    se = conv(k, "se_expand", se, 64, 1, 1, "same", true, "sigmoid");
    x = merge(k, "Multiply", "se_excite", x, se);
    x = bn(k, "project_bn", conv(k, "project", x, 16, 1, 1, "same", false, "linear"));
    x = merge(k, "Add", "residual", x, in);
    x = dense(k, "predictions", gap(k, "gap", x, false), 10, "softmax");
    return k.write(file, x);
  }

  /** Embedding (vocabulary 1000) + GlobalAveragePooling1D + Dense: token ids in, a sentiment score out. */
  static Path textClassifier(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("text_classifier", 28);
    String x = k.input("tokens", "int32", 40);
    x = k.layer("Embedding", "embedding", KerasFileBuilder.config().put("input_dim", 1000).put("output_dim", 16), new long[] {40, 16},
        List.of(new long[] {1000, 16}), x);
    x = k.layer("GlobalAveragePooling1D", "pool", KerasFileBuilder.config(), new long[] {16}, List.of(), x);
    x = dense(k, "hidden", x, 16, "relu");
    x = dense(k, "sentiment", x, 1, "sigmoid");
    return k.write(file, x);
  }

  /**
   * A context module of dilated convolutions (as in DeepLab / WaveNet-style models) on an odd-sized input: Conv2D
   * dilation 2 SAME, DepthwiseConv2D dilation 3 VALID, Conv2D dilation 3 VALID. Keras runs each through
   * SpaceToBatchND; the converter must make each one dilated convolution.
   */
  static Path dilatedContext(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("dilated_context", 26);
    String x = k.input("image", 19, 23, 3);
    x = dilatedConv(k, "context1", x, 8, 3, 2, "same", "relu");
    long[] s = k.shape(x);
    ObjectNode c = KerasFileBuilder.config().put("depth_multiplier", 1).put("padding", "valid").put("use_bias", true).put("activation", "relu");
    pair(pair(pair(c, "kernel_size", 3, 3), "strides", 1, 1), "dilation_rate", 3, 3);
    x = k.layer("DepthwiseConv2D", "context2", c, new long[] {s[1] - 6, s[2] - 6, s[3]}, List.of(new long[] {3, 3, s[3], 1}, new long[] {s[3]}), x);
    x = dilatedConv(k, "context3", x, 6, 2, 3, "valid", "linear");
    x = k.layer("GlobalAveragePooling2D", "pool", KerasFileBuilder.config().put("keepdims", false), new long[] {6}, List.of(), x);
    return k.write(file, dense(k, "classes", x, 4, "softmax"));
  }

  static String dilatedConv(KerasFileBuilder k, String name, String x, long filters, long kernel, long dilation, String padding, String activation) {
    long[] s = k.shape(x);
    long reach = (kernel - 1) * dilation;
    long h = padding.equals("same") ? s[1] : s[1] - reach;
    long w = padding.equals("same") ? s[2] : s[2] - reach;
    ObjectNode c = KerasFileBuilder.config().put("filters", filters).put("padding", padding).put("use_bias", true).put("activation", activation)
        .put("data_format", "channels_last");
    pair(pair(pair(c, "kernel_size", kernel, kernel), "strides", 1, 1), "dilation_rate", dilation, dilation);
    return k.layer("Conv2D", name, c, new long[] {h, w, filters}, List.of(new long[] {kernel, kernel, s[3], filters}, new long[] {filters}), x);
  }

  /** A functional model with two inputs, one Dense layer shared by both towers, a merge and two outputs. */
  static Path twoTower(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("two_tower_shared", 29);
    String query = k.input("query", 24);
    String item = k.input("item", 24);
    String q = dense(k, "shared_encoder", query, 16, "relu");
    String i = k.callAgain("shared_encoder", new long[] {16}, item);
    String joined = merge(k, "Concatenate", "joined", q, i);
    String score = dense(k, "score", joined, 1, "sigmoid");
    String product = merge(k, "Multiply", "interaction", q, i);
    String embedding = dense(k, "embedding", product, 8, "tanh");
    return k.write(file, score, embedding);
  }

  static Path conv1dSequence(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("conv1d_sequence", 27);
    String x = k.input("signal", 128, 8);
    ObjectNode c = KerasFileBuilder.config().put("filters", 16).put("padding", "same").put("use_bias", true).put("activation", "relu")
        .put("data_format", "channels_last");
    c.putArray("kernel_size").add(5);
    c.putArray("strides").add(1);
    c.putArray("dilation_rate").add(1);
    x = k.layer("Conv1D", "conv1d", c, new long[] {128, 16}, List.of(new long[] {5, 8, 16}, new long[] {16}), x);
    ObjectNode p = KerasFileBuilder.config().put("padding", "valid");
    p.putArray("pool_size").add(2);
    p.putArray("strides").add(2);
    x = k.layer("MaxPooling1D", "pool1d", p, new long[] {64, 16}, List.of(), x);
    x = k.layer("GlobalAveragePooling1D", "gap1d", KerasFileBuilder.config(), new long[] {16}, List.of(), x);
    x = dense(k, "classes", x, 4, "softmax");
    return k.write(file, x);
  }
}
