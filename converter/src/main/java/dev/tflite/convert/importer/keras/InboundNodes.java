package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A layer's {@code inbound_nodes} in either dialect, as {@link LayerCall}s.
 *
 * <p>Keras 3 writes each call as {@code {"args": [...], "kwargs": {...}}} with {@code __keras_tensor__} objects
 * wherever a tensor was passed. Keras 2 writes only the first argument's structure, each tensor in it as
 * {@code [layer, node, tensor, kwargs]} carrying every other argument by name in {@code kwargs} (tensors there as
 * {@code [layer, node, tensor]}, a constant in the first argument as {@code ["_CONSTANT_VALUE", -1, value, kwargs]});
 * a regular layer's structure is wrapped in one more list, a TFOpLambda's is not.
 */
final class InboundNodes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private InboundNodes() {}

  static List<LayerCall> read(JsonNode inbound) {
    List<LayerCall> calls = new ArrayList<>();
    for (JsonNode call : inbound) {
      List<TensorRef> refs = new ArrayList<>();
      if (call.isObject()) {
        JsonNode args = keras3(call.path("args"), refs);
        JsonNode kwargs = keras3(call.path("kwargs"), refs);
        calls.add(new LayerCall(refs, new CallArguments(args.isArray() ? args : JSON.arrayNode(), kwargs.isObject() ? kwargs : JSON.objectNode())));
      } else {
        calls.add(keras2(call, refs));
      }
    }
    return calls;
  }

  private static JsonNode keras3(JsonNode node, List<TensorRef> refs) {
    if (node.isObject() && node.has("class_name")) {
      String cls = node.path("class_name").asText();
      JsonNode config = node.path("config");
      switch (cls) {
        case "__keras_tensor__" -> {
          JsonNode history = config.path("keras_history");
          refs.add(new TensorRef(history.get(0).asText(), history.get(1).asInt(), history.get(2).asInt()));
          return JSON.objectNode().put("__input__", refs.size() - 1);
        }
        case "__numpy__", "__tensor__" -> {
          return JSON.objectNode().set("__constant__", config.path("value"));
        }
        case "__slice__" -> {
          return JSON.objectNode().set("__slice__", config);
        }
        case "__ellipsis__" -> {
          return JSON.objectNode().put("__ellipsis__", true);
        }
        case "__tuple__" -> {
          return keras3(config.path("value").isArray() ? config.path("value") : node.path("items"), refs);
        }
        default -> { }
      }
    }
    return map(node, refs, InboundNodes::keras3);
  }

  private static LayerCall keras2(JsonNode call, List<TensorRef> refs) {
    // [layer, node, tensor, kwargs] alone (a TFOpLambda on one tensor), else the first argument's structure
    JsonNode first = isRef(call) ? call : call.size() == 1 && isRef(call.get(0)) ? call.get(0) : call;
    JsonNode kwargs = JSON.objectNode();
    JsonNode firstRef = firstRef(first);
    if (firstRef != null && firstRef.size() > 3 && firstRef.get(3).isObject()) {
      kwargs = firstRef.get(3);
    }
    JsonNode arg = keras2Structure(first, refs);
    JsonNode named = keras2Value(kwargs, refs);
    ArrayNode args = JSON.arrayNode().add(arg);
    return new LayerCall(refs, new CallArguments(args, named));
  }

  /** The first argument: refs become inputs, constants {@code __constant__}. */
  private static JsonNode keras2Structure(JsonNode node, List<TensorRef> refs) {
    if (isRef(node)) {
      if (node.get(0).asText().equals("_CONSTANT_VALUE")) {
        return JSON.objectNode().set("__constant__", node.get(2));
      }
      refs.add(new TensorRef(node.get(0).asText(), node.get(1).asInt(), node.get(2).asInt()));
      return JSON.objectNode().put("__input__", refs.size() - 1);
    }
    ArrayNode list = JSON.arrayNode();
    node.forEach(n -> list.add(keras2Structure(n, refs)));
    return list;
  }

  /** A keyword argument's value: [layer, node, tensor] are tensors, {start, stop, step} slices, __ellipsis__ an ellipsis. */
  private static JsonNode keras2Value(JsonNode node, List<TensorRef> refs) {
    if (node.isArray() && node.size() == 3 && node.get(0).isTextual() && node.get(1).isInt() && node.get(2).isInt()) {
      refs.add(new TensorRef(node.get(0).asText(), node.get(1).asInt(), node.get(2).asInt()));
      return JSON.objectNode().put("__input__", refs.size() - 1);
    }
    if (node.isObject() && node.size() == 3 && node.has("start") && node.has("stop") && node.has("step")) {
      return JSON.objectNode().set("__slice__", node);
    }
    if (node.isObject() && "__ellipsis__".equals(node.path("class_name").asText())) {
      return JSON.objectNode().put("__ellipsis__", true);
    }
    return map(node, refs, InboundNodes::keras2Value);
  }

  private static boolean isRef(JsonNode node) {
    return node.isArray() && node.size() >= 3 && node.get(0).isTextual() && node.get(1).isInt() && (node.size() == 3 || node.get(3).isObject()
        || node.get(0).asText().equals("_CONSTANT_VALUE"));
  }

  private static JsonNode firstRef(JsonNode node) {
    if (isRef(node)) {
      return node;
    }
    for (JsonNode child : node) {
      JsonNode found = firstRef(child);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private interface Mapper {
    JsonNode map(JsonNode node, List<TensorRef> refs);
  }

  private static JsonNode map(JsonNode node, List<TensorRef> refs, Mapper mapper) {
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      node.forEach(n -> out.add(mapper.map(n, refs)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), mapper.map(e.getValue(), refs));
      }
      return out;
    }
    return node;
  }
}
