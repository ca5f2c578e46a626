package dev.tflite.runtime;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Float tensors keyed by signature name, sorted by name: one sample's inputs or outputs. */
public final class NamedTensors {
  /** One float tensor: shape and row-major values. */
  public record FloatTensor(long[] shape, float[] values) {
    public FloatTensor {
      shape = shape.clone();
    }

    @Override
    public String toString() {
      return "float" + Arrays.toString(shape);
    }
  }

  private final Map<String, FloatTensor> tensors = new TreeMap<>();

  public NamedTensors put(String name, FloatTensor tensor) {
    tensors.put(name, tensor);
    return this;
  }

  public FloatTensor get(String name) {
    return tensors.get(name);
  }

  public Map<String, FloatTensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }
}
