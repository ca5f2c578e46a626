package dev.tflite.convert.importer.keras;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes the importer builds each Keras input at. A Keras graph is built with its sequence lengths fixed (a
 * recurrent layer is lowered step by step for the TensorFlow reference), so an open non-batch dimension
 * ({@code keras.Input((None, features))}) is built at the length {@code <inputShapes>} gives, or, when it gives none,
 * at {@link #NOMINAL} and a second time at {@link #PROBE}: shape analysis compares the two builds and keeps every
 * dimension that follows the length dynamic in the file (a fused recurrent layer reads any length), and conversion
 * refuses, naming {@code <inputShapes>}, what only works at one length. The batch stays as declared; preparation
 * applies the configured batch.
 */
final class OpenLengths {
  /** The length an open dimension has in the file's default shape and in validation's reference. */
  static final long NOMINAL = 16;
  /**
   * The other length the model is built at, so that what follows the length can be told from what does not: twice the
   * nominal one, so a length halved by a pooling or a strided convolution still differs (16 and 17 both pool to 8).
   */
  static final long PROBE = 32;

  private OpenLengths() {}

  /** Each input layer's declared shape, by its name, with its non-batch dimensions fixed by {@code overrides}. */
  static Map<String, long[]> declared(ModelTopology model, Map<String, long[]> overrides) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (TensorRef ref : model.inputs()) {
      long[] dims = KerasDialect.batchShape(model.layer(ref.layer()).config());
      if (dims == null) {
        continue; // the builder names the input that declares no shape
      }
      long[] given = overrides.get(ref.layer());
      if (given != null && given.length == dims.length) {
        for (int i = 1; i < dims.length; i++) {
          dims[i] = dims[i] < 0 ? given[i] : dims[i];
        }
      }
      shapes.put(ref.layer(), dims);
    }
    return shapes;
  }

  /** The inputs with an open non-batch dimension, in input order. */
  static List<String> openInputs(Map<String, long[]> declared) {
    return declared.entrySet().stream().filter(e -> Arrays.stream(e.getValue()).skip(1).anyMatch(d -> d < 0)).map(Map.Entry::getKey).toList();
  }

  /** {@code declared} with every open non-batch dimension at {@code length}. */
  static Map<String, long[]> at(Map<String, long[]> declared, long length) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    declared.forEach((name, dims) -> {
      long[] fixed = dims.clone();
      for (int i = 1; i < fixed.length; i++) {
        fixed[i] = fixed[i] < 0 ? length : fixed[i];
      }
      shapes.put(name, fixed);
    });
    return shapes;
  }
}
