package dev.tflite.validation.match;

import dev.tflite.runtime.TensorSpec;

/**
 * One port of the validated .tflite paired with the original's: {@code by} is {@code signature} (the .tflite's
 * SignatureDef name is the original's), {@code name} (tensor names agree once converter decorations such as
 * {@code serving_default_} and {@code :0} are removed) or {@code position} (neither: the n-th unmatched port of each).
 */
public record PortMatch(TensorSpec candidate, TensorSpec original, String by) {
  public static final String SIGNATURE = "signature";
  public static final String NAME = "name";
  public static final String POSITION = "position";
}
