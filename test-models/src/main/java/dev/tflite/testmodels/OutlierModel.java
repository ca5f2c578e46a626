package dev.tflite.testmodels;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A classifier whose middle dense layer ({@code dense2}) has one extreme weight outlier on a dead unit (a weight that
 * drifted in training where it never mattered): the float model is fine, but per-tensor int8 quantization of that
 * layer takes its scale from the outlier and rounds every other weight to zero, so quantization breaks exactly one
 * layer. Used to test per-layer localization and the fallback.
 */
public final class OutlierModel {
  public static final float OUTLIER = 400f;

  private OutlierModel() {}

  public static SavedModelExport.Endpoints build(Ops tf, SeededWeights weights) {
    KerasLowering keras = new KerasLowering(tf, weights);
    Operand<TFloat32> input = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 64)));
    Ops dense1 = tf.withSubScope("dense1");
    float[] bias1 = new float[64];
    TFloat32 randomBias = weights.range(-0.1, 0.1, 64);
    randomBias.copyTo(DataBuffers.of(bias1, false, false));
    bias1[5] = -50f; // unit 5 never fires on inputs in [0, 1]
    Operand<TFloat32> hidden = dense1.withName("BiasAdd").nn.biasAdd(
        dense1.withName("MatMul").linalg.matMul(input, dense1.withName("kernel").variable(dense1.constantOf(weights.glorotUniform(64, 64, 64, 64)))),
        dense1.withName("bias").variable(dense1.constantOf(TFloat32.tensorOf(Shape.of(64), DataBuffers.of(bias1, true, false)))));
    Operand<TFloat32> x = dense1.withName("Relu").nn.relu(hidden);
    Ops scope = tf.withSubScope("dense2");
    TFloat32 kernel = weights.glorotUniform(64, 32, 64, 32);
    float[] values = new float[64 * 32];
    kernel.copyTo(DataBuffers.of(values, false, false));
    values[5 * 32 + 7] = OUTLIER;
    TFloat32 withOutlier = TFloat32.tensorOf(Shape.of(64, 32), DataBuffers.of(values, true, false));
    Operand<TFloat32> product = scope.withName("MatMul").linalg.matMul(x, scope.withName("kernel").variable(scope.constantOf(withOutlier)));
    x = scope.withName("Relu").nn.relu(scope.withName("BiasAdd").nn.biasAdd(product, scope.withName("bias").variable(scope.constantOf(weights.range(-0.1, 0.1, 32)))));
    Operand<TFloat32> probabilities = keras.softmax("probabilities", keras.dense("dense3", x, 10));
    Map<String, Operand<?>> inputs = new LinkedHashMap<>();
    inputs.put("features", input);
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    outputs.put("probabilities", probabilities);
    return new SavedModelExport.Endpoints(inputs, outputs);
  }

  public static Path export(Path directory) {
    return SavedModelExport.export(directory, 3, OutlierModel::build);
  }
}
