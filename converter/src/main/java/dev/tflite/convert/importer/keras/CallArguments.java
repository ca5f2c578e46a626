package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A layer call's arguments in one form for both dialects ({@link InboundNodes} reads them): positional {@code args}
 * and named {@code kwargs}, where a Keras tensor is {@code {"__input__": i}} (the call's i-th tensor), a constant
 * operand {@code {"__constant__": value}}, a slice {@code {"__slice__": {start, stop, step}}}, an ellipsis
 * {@code {"__ellipsis__": true}} and None (newaxis in a slice) null.
 */
final class CallArguments {
  static final CallArguments NONE = new CallArguments(JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode());

  private final JsonNode args;
  private final JsonNode kwargs;

  CallArguments(JsonNode args, JsonNode kwargs) {
    this.args = args;
    this.kwargs = kwargs;
  }

  /** Positional argument {@code position}, else the keyword {@code name}; missing when the call passed neither. */
  JsonNode get(int position, String name) {
    if (position >= 0 && position < args.size()) {
      return args.get(position);
    }
    return kwargs.has(name) ? kwargs.get(name) : MissingNode.getInstance();
  }

  JsonNode keyword(String name) {
    return get(-1, name);
  }

  boolean flag(String name, boolean fallback) {
    JsonNode v = keyword(name);
    return v.isMissingNode() || v.isNull() ? fallback : v.asBoolean();
  }

  int positionalCount() {
    return args.size();
  }

  static boolean isTensor(JsonNode value) {
    return value != null && value.isObject() && value.has("__input__");
  }

  static int tensorIndex(JsonNode value) {
    return value.get("__input__").asInt();
  }

  static boolean isConstant(JsonNode value) {
    return value != null && value.isObject() && value.has("__constant__");
  }

  @Override
  public String toString() {
    return "args " + args + ", kwargs " + kwargs;
  }
}
