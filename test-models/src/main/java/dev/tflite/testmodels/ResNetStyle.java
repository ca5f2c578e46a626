package dev.tflite.testmodels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A ResNet-50-sized classifier as Keras lowers it (about 25.6 M parameters): 7x7 stem, bottleneck blocks [3, 4, 6, 3]
 * (1x1, 3x3, 1x1 convolutions with BatchNormalization and ReLU, projection shortcuts), global average pooling and a
 * 1000-way softmax. Weights are fed into variables at export, so the graph itself stays small.
 */
public final class ResNetStyle {
  private ResNetStyle() {}

  public static SavedModelExport.Endpoints build(Ops tf, SeededWeights weights, int resolution) {
    List<SavedModelExport.Initializer> initializers = new ArrayList<>();
    KerasLowering keras = new KerasLowering(tf, weights).deferInitialization(initializers);
    Operand<TFloat32> input = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, resolution, resolution, 3)));
    Operand<TFloat32> x = tf.withName("stem_relu").nn.relu(keras.batchNorm("stem_bn", keras.conv2dNoBias("stem_conv", input, 64, 7, 2)));
    x = keras.maxPool("stem_pool", x, 3, 2, "SAME");
    int[] blocks = {3, 4, 6, 3};
    int[] widths = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; stage++) {
      for (int block = 0; block < blocks[stage]; block++) {
        int stride = block == 0 && stage > 0 ? 2 : 1;
        x = bottleneck(tf, keras, "stage" + (stage + 1) + "_block" + (block + 1), x, widths[stage], stride, block == 0);
      }
    }
    x = keras.globalAveragePool("avg_pool", x);
    Operand<TFloat32> probabilities = keras.softmax("predictions", keras.dense("fc1000", x, 1000));
    Map<String, Operand<?>> inputs = new LinkedHashMap<>();
    inputs.put("image", input);
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    outputs.put("predictions", probabilities);
    return new SavedModelExport.Endpoints(inputs, outputs, initializers);
  }

  private static Operand<TFloat32> bottleneck(Ops tf, KerasLowering keras, String name, Operand<TFloat32> x, int width, int stride, boolean project) {
    Operand<TFloat32> shortcut = x;
    if (project) {
      shortcut = keras.batchNorm(name + "_0_bn", keras.conv2dNoBias(name + "_0_conv", x, width * 4, 1, stride));
    }
    Operand<TFloat32> h = tf.withName(name + "_1_relu").nn.relu(keras.batchNorm(name + "_1_bn", keras.conv2dNoBias(name + "_1_conv", x, width, 1, stride)));
    h = tf.withName(name + "_2_relu").nn.relu(keras.batchNorm(name + "_2_bn", keras.conv2dNoBias(name + "_2_conv", h, width, 3, 1)));
    h = keras.batchNorm(name + "_3_bn", keras.conv2dNoBias(name + "_3_conv", h, width * 4, 1, 1));
    return tf.withName(name + "_out").nn.relu(keras.add(name + "_add", shortcut, h));
  }

  public static Path export(Path directory, int resolution) {
    return SavedModelExport.export(directory, 50, (tf, w) -> build(tf, w, resolution));
  }
}
