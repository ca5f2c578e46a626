package dev.tflite.testmodels;

import static dev.tflite.testmodels.KerasZoo.activation;
import static dev.tflite.testmodels.KerasZoo.bn;
import static dev.tflite.testmodels.KerasZoo.conv;
import static dev.tflite.testmodels.KerasZoo.dense;
import static dev.tflite.testmodels.KerasZoo.dw;
import static dev.tflite.testmodels.KerasZoo.merge;
import static dev.tflite.testmodels.KerasZoo.pair;
import static dev.tflite.testmodels.KerasZoo.same;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Keras 2 {@code .h5} files with the block Keras 2 models are made of: a convolution with its own bias
 * ({@code use_bias=True}, the Keras 2 default), then BatchNormalization, then ReLU. Each entry names the op census the
 * official converter writes for it: every batch norm folded into the convolution before it, every ReLU fused.
 */
public final class Keras2Zoo {
  /** One model: its name, how to write it, its input range and the official converter's op census for it. */
  public record Entry(String name, java.util.function.Function<Path, Path> writer, double min, double max, Map<String, Integer> officialOps) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static final List<Entry> MODELS = List.of(
      new Entry("keras2_resnet8", Keras2Zoo::resNet8, 0, 1,
          Map.of("CONV_2D", 9, "ADD", 3, "AVERAGE_POOL_2D", 1, "RESHAPE", 1, "FULLY_CONNECTED", 1, "SOFTMAX", 1)),
      new Entry("keras2_mobilenet_v1", Keras2Zoo::mobileNetV1, 0, 1,
          Map.of("CONV_2D", 4, "DEPTHWISE_CONV_2D", 3, "AVERAGE_POOL_2D", 1, "RESHAPE", 1, "FULLY_CONNECTED", 1, "SOFTMAX", 1)),
      new Entry("keras2_ds_cnn", Keras2Zoo::dsCnn, -1, 1,
          Map.of("CONV_2D", 3, "DEPTHWISE_CONV_2D", 2, "AVERAGE_POOL_2D", 1, "RESHAPE", 1, "FULLY_CONNECTED", 2, "SOFTMAX", 1)));

  private Keras2Zoo() {}

  private static String convBnRelu(KerasFileBuilder k, String name, String x, long filters, long kernel, long stride) {
    return activation(k, name + "_relu", bn(k, name + "_bn", conv(k, name, x, filters, kernel, stride, "same", true, "linear")), "relu");
  }

  private static String averagePoolAll(KerasFileBuilder k, String x) {
    long[] t = k.shape(x);
    ObjectNode avg = pair(pair(KerasFileBuilder.config().put("padding", "valid"), "pool_size", t[1], t[2]), "strides", t[1], t[2]);
    String pooled = k.layer("AveragePooling2D", "avg_pool", avg, new long[] {1, 1, t[3]}, List.of(), x);
    return k.layer("Flatten", "flatten", KerasFileBuilder.config(), new long[] {t[3]}, List.of(), pooled);
  }

  /** The MLPerf Tiny image-classification ResNet-8 layout: three residual stacks, 1x1 shortcut convolutions when striding. */
  static Path resNet8(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("resnet8", 31);
    String x = convBnRelu(k, "stem", k.input("image", 32, 32, 3), 16, 3, 1);
    long[][] stacks = {{16, 1}, {32, 2}, {64, 2}};
    for (int i = 0; i < stacks.length; i++) {
      long filters = stacks[i][0];
      long stride = stacks[i][1];
      String y = convBnRelu(k, "s" + i + "_a", x, filters, 3, stride);
      y = bn(k, "s" + i + "_b_bn", conv(k, "s" + i + "_b", y, filters, 3, 1, "same", true, "linear"));
      String shortcut = stride == 1 ? x : conv(k, "s" + i + "_shortcut", x, filters, 1, stride, "same", true, "linear");
      x = activation(k, "s" + i + "_relu", merge(k, "Add", "s" + i + "_add", shortcut, y), "relu");
    }
    return k.writeKeras2(file, dense(k, "predictions", averagePoolAll(k, x), 10, "softmax"));
  }

  /** MobileNetV1 at width 0.25: depthwise-separable blocks, each convolution with a bias and a batch norm. */
  static Path mobileNetV1(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("mobilenet_v1", 32);
    String x = convBnRelu(k, "conv1", k.input("image", 48, 48, 3), 8, 3, 2);
    long[][] blocks = {{16, 1}, {32, 2}, {32, 1}};
    for (int i = 0; i < blocks.length; i++) {
      x = activation(k, "dw" + i + "_relu", bn(k, "dw" + i + "_bn", dw(k, "dw" + i, x, 3, blocks[i][1], "linear", true)), "relu");
      x = convBnRelu(k, "pw" + i, x, blocks[i][0], 1, 1);
    }
    return k.writeKeras2(file, dense(k, "predictions", averagePoolAll(k, x), 2, "softmax"));
  }

  /** The DS-CNN keyword spotter: a 10x4 strided convolution over MFCCs, depthwise-separable blocks, a Dense + BatchNorm head. */
  static Path dsCnn(Path file) {
    KerasFileBuilder k = new KerasFileBuilder("ds_cnn", 33);
    String x = k.input("mfcc", 49, 10, 1);
    long[] s = k.shape(x);
    ObjectNode c = KerasFileBuilder.config().put("filters", 32).put("padding", "same").put("use_bias", true).put("activation", "linear");
    pair(pair(pair(c, "kernel_size", 10, 4), "strides", 2, 2), "dilation_rate", 1, 1);
    x = k.layer("Conv2D", "conv1", c, new long[] {same(s[1], 2), same(s[2], 2), 32}, List.of(new long[] {10, 4, 1, 32}, new long[] {32}), x);
    x = activation(k, "conv1_relu", bn(k, "conv1_bn", x), "relu");
    for (int i = 0; i < 2; i++) {
      x = activation(k, "dw" + i + "_relu", bn(k, "dw" + i + "_bn", dw(k, "dw" + i, x, 3, 1, "linear", true)), "relu");
      x = convBnRelu(k, "pw" + i, x, 32, 1, 1);
    }
    String features = averagePoolAll(k, x);
    String hidden = activation(k, "fc_relu", bn(k, "fc_bn", dense(k, "fc", features, 16, "linear")), "relu");
    return k.writeKeras2(file, dense(k, "keywords", hidden, 12, "softmax"));
  }
}
