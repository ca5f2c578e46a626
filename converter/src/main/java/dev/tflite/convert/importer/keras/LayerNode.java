package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer of a Keras model as its config describes it: class, settings, and each call's arguments (a shared layer
 * has several calls). A Sequential or Functional model used as a layer carries its own topology in {@code nested}.
 */
record LayerNode(String name, String className, JsonNode config, List<LayerCall> calls, ModelTopology nested) {
  boolean isInput() {
    return className.equals(KerasDialect.INPUT_LAYER);
  }
}
