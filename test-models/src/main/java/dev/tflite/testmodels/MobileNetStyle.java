package dev.tflite.testmodels;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A MobileNetV2-style classifier as Keras lowers it: a strided stem, inverted residual blocks (1x1 expand + BN +
 * ReLU6, 3x3 depthwise + BN + ReLU6, 1x1 project + BN, residual Add when shapes match), global average pooling and a
 * softmax head. {@code width} scales the channel counts.
 */
public final class MobileNetStyle {
  public static final long DEFAULT_SEED = 7;

  private MobileNetStyle() {}

  public static SavedModelExport.Endpoints build(Ops tf, SeededWeights weights, int resolution, int width, int classes) {
    KerasLowering keras = new KerasLowering(tf, weights);
    Operand<TFloat32> input = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, resolution, resolution, 3)));
    Operand<TFloat32> x = keras.relu6("stem_relu", keras.batchNorm("stem_bn", keras.conv2dNoBias("stem_conv", input, 8 * width, 3, 2)));
    int[][] blocks = { // expansion, output channels / width, stride
        {1, 8, 1}, {4, 12, 2}, {4, 12, 1}, {4, 16, 2}, {4, 16, 1}, {4, 24, 2}, {4, 24, 1}};
    for (int i = 0; i < blocks.length; i++) {
      x = invertedResidual(keras, "block" + i, x, blocks[i][0], blocks[i][1] * width, blocks[i][2]);
    }
    x = keras.relu6("head_relu", keras.batchNorm("head_bn", keras.conv2dNoBias("head_conv", x, 64 * width, 1, 1)));
    x = keras.globalAveragePool("global_average_pooling2d", x);
    Operand<TFloat32> probabilities = keras.softmax("predictions", keras.dense("logits", x, classes));
    Map<String, Operand<?>> inputs = new LinkedHashMap<>();
    inputs.put("image", input);
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    outputs.put("predictions", probabilities);
    return new SavedModelExport.Endpoints(inputs, outputs);
  }

  private static Operand<TFloat32> invertedResidual(KerasLowering keras, String name, Operand<TFloat32> x, int expansion, int outChannels, int stride) {
    long inChannels = x.shape().get(3);
    Operand<TFloat32> h = x;
    if (expansion != 1) {
      h = keras.relu6(name + "_expand_relu", keras.batchNorm(name + "_expand_bn", keras.conv2dNoBias(name + "_expand", h, (int) inChannels * expansion, 1, 1)));
    }
    h = keras.relu6(name + "_depthwise_relu", keras.batchNorm(name + "_depthwise_bn", keras.depthwiseConv2d(name + "_depthwise", h, 3, stride)));
    h = keras.batchNorm(name + "_project_bn", keras.conv2dNoBias(name + "_project", h, outChannels, 1, 1));
    return stride == 1 && inChannels == outChannels ? keras.add(name + "_add", x, h) : h;
  }

  public static Path export(Path directory, int resolution, int width, int classes) {
    return SavedModelExport.export(directory, DEFAULT_SEED, (tf, w) -> build(tf, w, resolution, width, classes));
  }
}
