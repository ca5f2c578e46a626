package dev.tflite.testmodels;

import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Deterministic weight values: the same seed always yields the same model bytes and numbers. */
public final class SeededWeights {
  private final SplittableRandom random;

  public SeededWeights(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Uniform in [-limit, limit] with Glorot's limit sqrt(6 / (fanIn + fanOut)), as Keras initialises kernels. */
  public TFloat32 glorotUniform(long fanIn, long fanOut, long... shape) {
    return uniform(Math.sqrt(6.0 / (fanIn + fanOut)), shape);
  }

  public TFloat32 uniform(double limit, long... shape) {
    return filled(shape, () -> (float) ((random.nextDouble() * 2 - 1) * limit));
  }

  /** Values in [low, high): used for PReLU slopes and biases so every path of the graph carries signal. */
  public TFloat32 range(double low, double high, long... shape) {
    return filled(shape, () -> (float) (low + random.nextDouble() * (high - low)));
  }

  private static TFloat32 filled(long[] shape, FloatSource source) {
    long size = Shape.of(shape).size();
    float[] values = new float[Math.toIntExact(size)];
    for (int i = 0; i < values.length; i++) {
      values[i] = source.next();
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  @FunctionalInterface
  private interface FloatSource {
    float next();
  }
}
