package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import java.util.List;
import java.util.Map;

/**
 * A model's weights, looked up by layer path (the layer names from the outermost model layer down to the layer) and
 * variable name. Keras 2 HDF5 files name every weight; Keras 3 {@code .keras} files keep only each layer's variables
 * in creation order, so the reader is told the layer's variable names in that order.
 */
interface KerasWeights {
  /** The variables of the layer at {@code path}, named by {@code variables} (the layer's variables in creation order). */
  Map<String, TensorData> layer(List<String> path, List<String> variables);
}
