package dev.tflite.runtime;

import java.util.Arrays;

/**
 * A model input or output as the model declares it, before anything runs: the name it is fed or read under, its
 * element type in lower case ({@code float32}, {@code uint8}, …) and its shape, {@code -1} where any size goes (null
 * when even the rank is unknown). Validation matches a converted file's ports to the original's with these.
 */
public record TensorSpec(String name, String type, long[] shape) {
  public TensorSpec {
    shape = shape == null ? null : shape.clone();
  }

  @Override
  public long[] shape() {
    return shape == null ? null : shape.clone();
  }

  /** E.g. {@code 'x' float32[-1, 28, 28]}. */
  @Override
  public String toString() {
    return "'" + name + "' " + type + (shape == null ? "[unknown rank]" : Arrays.toString(shape));
  }
}
