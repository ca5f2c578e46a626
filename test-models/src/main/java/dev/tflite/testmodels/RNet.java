package dev.tflite.testmodels;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The seed model: MTCNN's RNet as a Keras model would lower it, with seeded weights.
 *
 * <pre>
 * input [-1,24,24,3] → conv1 Conv2D(28,3) → PReLU(shared 1,2) → MaxPool(3,2,SAME)
 *   → conv2 Conv2D(48,3) → PReLU → MaxPool(3,2,VALID) → conv3 Conv2D(64,2) → PReLU
 *   → Flatten → Dense(128) → PReLU → score: Dense(2)+softmax, boxes: Dense(4)
 * </pre>
 */
public final class RNet {
  public static final long DEFAULT_SEED = 20_26_11_29L;

  private RNet() {}

  public static SavedModelExport.Endpoints build(Ops tf, SeededWeights weights) {
    KerasLowering keras = new KerasLowering(tf, weights);
    Operand<TFloat32> input = tf.withName("input").placeholder(TFloat32.class,
        org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 24, 24, 3)));
    Operand<TFloat32> x = keras.conv2d("conv1", input, 28, 3, 1, "VALID");
    x = keras.prelu("prelu1", x, 1, 1, 28);
    x = keras.maxPool("pool1", x, 3, 2, "SAME");
    x = keras.conv2d("conv2", x, 48, 3, 1, "VALID");
    x = keras.prelu("prelu2", x, 1, 1, 48);
    x = keras.maxPool("pool2", x, 3, 2, "VALID");
    x = keras.conv2d("conv3", x, 64, 2, 1, "VALID");
    x = keras.prelu("prelu3", x, 1, 1, 64);
    x = keras.flatten("flatten", x);
    x = keras.dense("conv4", x, 3 * 3 * 64, 128);
    x = keras.prelu("prelu4", x, 128);
    Operand<TFloat32> score = keras.softmax("score", keras.dense("conv5-1", x, 2));
    Operand<TFloat32> boxes = keras.dense("conv5-2", x, 4);

    Map<String, Operand<?>> inputs = new LinkedHashMap<>();
    inputs.put("input", input);
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    outputs.put("score", score);
    outputs.put("boxes", boxes);
    return new SavedModelExport.Endpoints(inputs, outputs);
  }

  public static Path export(Path directory) {
    return SavedModelExport.export(directory, DEFAULT_SEED, RNet::build);
  }
}
