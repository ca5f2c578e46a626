package dev.tflite.convert.importer.keras;

import java.util.List;

/**
 * A Keras model read from its config alone: its layers in call order, and which layer outputs are the model's inputs
 * and outputs. Sequential models are read into the same form (each layer called once on the previous one's output).
 */
record ModelTopology(String name, String className, List<LayerNode> layers, List<TensorRef> inputs, List<TensorRef> outputs) {
  LayerNode layer(String layerName) {
    for (LayerNode layer : layers) {
      if (layer.name().equals(layerName)) {
        return layer;
      }
    }
    throw new IllegalArgumentException("the model '" + name + "' has no layer '" + layerName + "'");
  }
}
