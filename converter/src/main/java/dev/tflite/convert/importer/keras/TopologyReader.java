package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reads a model config (Sequential or Functional, models nested as layers at any depth) into a {@link ModelTopology}. */
final class TopologyReader {
  private final KerasDialect dialect;

  TopologyReader(KerasDialect dialect) {
    this.dialect = dialect;
  }

  /** {@code model} is {"class_name": ..., "config": {...}}, the top of a model config or a model used as a layer. */
  ModelTopology read(JsonNode model) {
    String cls = KerasDialect.className(model);
    JsonNode config = model.path("config");
    String name = config.path("name").asText(KerasDialect.layerName(model));
    if (!config.path("layers").isArray() || config.path("layers").isEmpty()) {
      throw new IllegalArgumentException("the Keras model '" + name + "' (" + cls + ") has no layers");
    }
    return switch (cls) {
      case KerasDialect.SEQUENTIAL -> sequential(name, config);
      case KerasDialect.FUNCTIONAL -> functional(name, config);
      default -> throw new IllegalArgumentException("Keras model class '" + cls + "' is not supported (Sequential and Functional models are)");
    };
  }

  /** A Sequential model: each layer called once on the previous one's output; an input layer is made if none is saved. */
  private ModelTopology sequential(String name, JsonNode config) {
    List<JsonNode> saved = new ArrayList<>();
    config.path("layers").forEach(saved::add);
    List<LayerNode> layers = new ArrayList<>();
    JsonNode first = saved.get(0);
    LayerNode input;
    if (KerasDialect.className(first).equals(KerasDialect.INPUT_LAYER)) {
      input = new LayerNode(KerasDialect.layerName(first), KerasDialect.INPUT_LAYER, first.path("config"), List.of(), null);
      saved.remove(0);
    } else {
      input = new LayerNode(KerasDialect.layerName(first) + "_input", KerasDialect.INPUT_LAYER, implicitInputConfig(first, config), List.of(), null);
    }
    layers.add(input);
    String previous = input.name();
    for (JsonNode layer : saved) {
      LayerNode node = layer(layer, List.of(LayerCall.of(List.of(new TensorRef(previous, 0, 0)))));
      layers.add(node);
      previous = node.name();
    }
    return new ModelTopology(name, KerasDialect.SEQUENTIAL, layers, List.of(new TensorRef(input.name(), 0, 0)), List.of(new TensorRef(previous, 0, 0)));
  }

  /** The input of a Sequential saved without one: the first layer's batch_input_shape or the model's build_input_shape. */
  private static JsonNode implicitInputConfig(JsonNode first, JsonNode config) {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    JsonNode firstConfig = first.path("config");
    if (KerasDialect.batchShape(firstConfig) != null) {
      input.set("batch_shape", firstConfig.has("batch_shape") ? firstConfig.get("batch_shape") : firstConfig.get("batch_input_shape"));
    } else if (config.path("build_input_shape").isArray()) {
      input.set("batch_shape", config.get("build_input_shape"));
    }
    if (firstConfig.has("dtype")) {
      input.set("dtype", firstConfig.get("dtype"));
    }
    return input;
  }

  private ModelTopology functional(String name, JsonNode config) {
    List<LayerNode> layers = new ArrayList<>();
    for (JsonNode layer : config.path("layers")) {
      layers.add(layer(layer, dialect.inboundCalls(layer.path("inbound_nodes"))));
    }
    return new ModelTopology(name, KerasDialect.FUNCTIONAL, layers, KerasDialect.references(config.path("input_layers")),
        KerasDialect.references(config.path("output_layers")));
  }

  private LayerNode layer(JsonNode layer, List<LayerCall> calls) {
    String cls = KerasDialect.className(layer);
    ModelTopology nested = KerasDialect.isModel(cls) ? read(layer) : null;
    return new LayerNode(KerasDialect.layerName(layer), cls, layer.path("config"), calls, nested);
  }
}
