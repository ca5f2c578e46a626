package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights of an HDF5 model file (Keras 2, or Keras 3's legacy {@code .h5}): {@code model_weights/<layer>} per
 * outermost layer, its {@code weight_names} attribute naming each weight by a path. A model nested as a layer keeps
 * all its layers' weights in its one group, named {@code <layer>/<variable>} (Keras 2, {@code :0} appended) or with
 * the enclosing model names in front ({@code outer/inner/<layer>/<variable>}, Keras 3): a layer's weights are those
 * whose path ends in the layer's name, the longest match with the layer's path winning.
 */
final class Keras2Weights implements KerasWeights {
  /** Outermost layer name → weight path (without ":0") → value. */
  private final Map<String, Map<String, TensorData>> groups = new HashMap<>();

  Keras2Weights(Node modelWeights) {
    if (modelWeights instanceof Group root) {
      for (Node layer : root.getChildren().values()) {
        Attribute names = layer instanceof Group g ? g.getAttribute("weight_names") : null;
        if (names != null) {
          Map<String, TensorData> values = new LinkedHashMap<>();
          for (String weightName : HdfTensors.strings(names.getData())) {
            values.put(weightName.endsWith(":0") ? weightName.substring(0, weightName.length() - 2) : weightName,
                HdfTensors.tensor((Dataset) ((Group) layer).getByPath(weightName)));
          }
          groups.put(layer.getName(), values);
        }
      }
    }
  }

  @Override
  public Map<String, TensorData> layer(List<String> path, List<String> variables) {
    Map<String, TensorData> group = groups.getOrDefault(path.get(0), Map.of());
    Map<String, TensorData> found = new LinkedHashMap<>();
    int best = -1;
    for (Map.Entry<String, TensorData> e : group.entrySet()) {
      String[] parts = e.getKey().split("/");
      int match = path.size() == 1 ? 1 : suffixMatch(parts, path);
      if (match == 0 || match < best) {
        continue;
      }
      if (match > best) {
        found.clear();
        best = match;
      }
      found.put(parts[parts.length - 1], e.getValue());
    }
    return found;
  }

  /** How many trailing layer names of {@code path} the weight's layer names end with (0: not this layer's weight). */
  private static int suffixMatch(String[] weightPath, List<String> path) {
    int n = 0;
    while (n < weightPath.length - 1 && n < path.size() && sameLayer(weightPath[weightPath.length - 2 - n], path.get(path.size() - 1 - n))) {
      n++;
    }
    return n;
  }

  /**
   * Whether a layer name in a weight's path is the layer the config names. Keras 2 numbers the cells it creates
   * model-wide ({@code lstm_1/lstm_cell_1/kernel}, while the config knows only {@code lstm_cell}), and its
   * Bidirectional config names the layer it was given while the weights sit under the forward copy it made
   * ({@code bidirectional/forward_lstm/lstm_cell_1/kernel} for a config layer {@code lstm}).
   */
  private static boolean sameLayer(String inWeightPath, String inConfig) {
    if (inWeightPath.equals(inConfig) || inWeightPath.equals("forward_" + inConfig)) {
      return true;
    }
    return inConfig.endsWith("_cell") && inWeightPath.startsWith(inConfig + "_")
        && inWeightPath.substring(inConfig.length() + 1).chars().allMatch(Character::isDigit);
  }
}
