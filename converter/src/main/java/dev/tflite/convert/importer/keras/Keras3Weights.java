package dev.tflite.convert.importer.keras;

import dev.tflite.convert.ir.TensorData;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights of a Keras 3 {@code model.weights.h5}: every layer is a group holding {@code vars/0..n} (its variables in
 * creation order, unnamed) and a {@code vars} attribute {@code name} with the layer's name; nested models' layers sit
 * below their model's group (under {@code layers/}). Groups are named after layer classes ({@code conv2d_1}), not layer
 * names, so the path is the chain of {@code name} attributes.
 */
final class Keras3Weights implements KerasWeights {
  private final Map<List<String>, List<TensorData>> layers = new HashMap<>();

  /** Only {@code layers/}: the file also holds optimizer state, which inference never reads. */
  Keras3Weights(Group root) {
    if (root.getChild("layers") instanceof Group layersGroup) {
      collect(layersGroup, List.of());
    }
  }

  private void collect(Group group, List<String> path) {
    for (Node child : group.getChildren().values()) {
      if (!(child instanceof Group g) || child.getName().equals("vars")) {
        continue;
      }
      List<String> childPath = path;
      if (g.getChild("vars") instanceof Group vars) { // a layer (or a model used as one)
        String name = vars.getAttribute("name") != null ? HdfTensors.text(vars.getAttribute("name").getData()) : g.getName();
        childPath = new ArrayList<>(path);
        childPath.add(name);
        List<TensorData> values = new ArrayList<>();
        vars.getChildren().values().stream().filter(Dataset.class::isInstance).map(Dataset.class::cast)
            .sorted(Comparator.comparingInt(d -> Integer.parseInt(d.getName()))).forEach(d -> values.add(HdfTensors.isFloat(d) ? HdfTensors.tensor(d) : null)); // integer state (seed generators) is never read
        layers.put(List.copyOf(childPath), values);
      }
      collect(g, childPath);
    }
  }

  @Override
  public Map<String, TensorData> layer(List<String> path, List<String> variables) {
    List<TensorData> values = layers.getOrDefault(path, List.of());
    Map<String, TensorData> named = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(values.size(), variables.size()); i++) {
      if (values.get(i) != null) {
        named.put(variables.get(i), values.get(i));
      }
    }
    return named;
  }
}
