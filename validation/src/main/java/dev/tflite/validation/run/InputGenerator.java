package dev.tflite.validation.run;

import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLiteRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded uniform random inputs: the same seed, shapes and range always give the same samples. */
public final class InputGenerator {
  private InputGenerator() {}

  public static List<NamedTensors> uniform(TfLiteRunner.Port[] inputs, int samples, long seed, double min, double max) {
    SplittableRandom random = new SplittableRandom(seed);
    List<NamedTensors> result = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      NamedTensors sample = new NamedTensors();
      for (TfLiteRunner.Port port : inputs) {
        int size = 1;
        for (int d : port.shape()) {
          size *= d;
        }
        float[] values = new float[size];
        boolean integer = port.type() == dev.tflite.runtime.TensorType.INT32;
        for (int i = 0; i < size; i++) {
          double v = min + random.nextDouble() * (max - min);
          values[i] = (float) (integer ? Math.floor(v) : v); // token ids: integers in [min, max)
        }
        long[] shape = java.util.Arrays.stream(port.shape()).asLongStream().toArray();
        sample.put(port.name(), new NamedTensors.FloatTensor(shape, values));
      }
      result.add(sample);
    }
    return result;
  }
}
