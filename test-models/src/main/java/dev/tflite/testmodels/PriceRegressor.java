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
 * A regressor whose output is in the thousands, as a price or energy model is after its de-normalisation layer:
 * 13 features → Dense 64 (relu) → Dense 32 (relu) → Dense 1, times 1200 plus 2500. A float conversion of it
 * differs from TensorFlow by float rounding of values near 3000, so an absolute tolerance made for outputs near 1
 * fails it while the model is exact to 7 digits: the case for tolerances that scale with the output.
 */
public final class PriceRegressor {
  public static final long DEFAULT_SEED = 13;

  private PriceRegressor() {}

  public static SavedModelExport.Endpoints build(Ops tf, SeededWeights weights) {
    KerasLowering keras = new KerasLowering(tf, weights);
    Operand<TFloat32> features = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 13)));
    Operand<TFloat32> x = tf.nn.relu(keras.dense("dense1", features, 13, 64));
    x = tf.nn.relu(keras.dense("dense2", x, 64, 32));
    Operand<TFloat32> normalized = keras.dense("dense3", x, 32, 1);
    Ops scope = tf.withSubScope("denormalize");
    Operand<TFloat32> price = scope.withName("price").math.add(scope.math.mul(normalized, scope.constant(1200f)), scope.constant(2500f));
    Map<String, Operand<?>> inputs = new LinkedHashMap<>();
    inputs.put("features", features);
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    outputs.put("price", price);
    return new SavedModelExport.Endpoints(inputs, outputs);
  }

  public static Path export(Path directory) {
    return SavedModelExport.export(directory, DEFAULT_SEED, PriceRegressor::build);
  }
}
