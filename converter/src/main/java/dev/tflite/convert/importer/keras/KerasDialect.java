package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Keras 2 and Keras 3 configs differ, in one place: model class names, the two inbound_nodes formats, input
 * shapes, dtypes and dtype policies, and the defaults that changed between them. The weight file layouts are the two
 * {@link KerasWeights} readers; a Keras 3 model saved as legacy {@code .h5} has a Keras 3 config and Keras 2 weights,
 * so the config dialect is read from the config, not the file name.
 */
final class KerasDialect {
  static final String INPUT_LAYER = "InputLayer";
  static final String SEQUENTIAL = "Sequential";
  static final String FUNCTIONAL = "Functional";

  final boolean keras3;

  private KerasDialect(boolean keras3) {
    this.keras3 = keras3;
  }

  /** The writer's dialect: from the file's keras_version (a Keras 3 legacy .h5 config has no module fields). */
  static KerasDialect of(boolean keras3) {
    return new KerasDialect(keras3);
  }

  /** Where Keras 3 op nodes (a keras.ops call on a Keras tensor in a functional model) are registered: keras.ops.Add. */
  static final String OPS_PREFIX = "keras.ops.";

  /**
   * The class of a layer or model; Keras 2's old functional class name "Model" is Functional; a Keras 3 op node
   * (module keras.src.ops.*) is {@link #OPS_PREFIX} + its class, apart from the layer of the same name.
   */
  static String className(JsonNode layer) {
    String cls = layer.path("class_name").asText();
    if (layer.path("module").asText().startsWith("keras.src.ops.") || isLegacyOpNode(layer)) {
      return OPS_PREFIX + cls;
    }
    return cls.equals("Model") ? FUNCTIONAL : cls;
  }

  /**
   * An op node in a Keras 3 legacy .h5 config, which keeps no module: Keras 3 call nodes (objects) on a config
   * without the {@code trainable} every Keras layer writes (an op's config is its name and settings).
   */
  private static boolean isLegacyOpNode(JsonNode layer) {
    JsonNode inbound = layer.path("inbound_nodes");
    return !layer.has("module") && inbound.isArray() && !inbound.isEmpty() && inbound.get(0).isObject() && !layer.path("config").has("trainable")
        && !layer.path("class_name").asText().equals(INPUT_LAYER) && layer.path("config").isObject() && !layer.path("config").has("layers");
  }

  static boolean isModel(String className) {
    return className.equals(SEQUENTIAL) || className.equals(FUNCTIONAL);
  }

  static String layerName(JsonNode layer) {
    return layer.has("name") ? layer.get("name").asText() : layer.path("config").path("name").asText();
  }

  /** Each call of a layer: the tensors it reads and its arguments ({@link InboundNodes} reads both dialects). */
  List<LayerCall> inboundCalls(JsonNode inbound) {
    return InboundNodes.read(inbound);
  }

  /** input_layers / output_layers: one [name, node, tensor] or a list of them (both versions). */
  static List<TensorRef> references(JsonNode list) {
    List<TensorRef> refs = new ArrayList<>();
    if (list.isArray() && list.size() > 0 && list.get(0).isTextual()) {
      refs.add(new TensorRef(list.get(0).asText(), list.get(1).asInt(), list.get(2).asInt()));
    } else {
      list.forEach(r -> refs.add(new TensorRef(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt())));
    }
    return refs;
  }

  /** An input's shape with the batch: {@code batch_shape} (Keras 3) or {@code batch_input_shape} (Keras 2); null if neither. */
  static long[] batchShape(JsonNode config) {
    JsonNode shape = config.has("batch_shape") ? config.get("batch_shape") : config.get("batch_input_shape");
    if (shape == null || !shape.isArray()) {
      return null;
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
    }
    return dims;
  }

  /**
   * The dtype a layer's variables and inputs have: a plain name, or a dtype policy (Keras 2 {@code Policy}, Keras 3
   * {@code DTypePolicy}/{@code FloatDTypePolicy}). A mixed policy ({@code mixed_float16}, {@code mixed_bfloat16})
   * keeps float32 variables and computes in 16 bits; the converter computes it in float32 (the model is converted as
   * float32; float16 conversion is the {@code float16} mode's job).
   */
  static String dtype(JsonNode config) {
    JsonNode dtype = config.path("dtype");
    if (dtype.isTextual()) {
      return dtype.asText();
    }
    if (dtype.isObject()) {
      String policy = dtype.path("config").path("name").asText("float32");
      return policy.startsWith("mixed_") ? "float32" : policy;
    }
    return "float32";
  }

  /**
   * The name Keras 3 gives a variable Keras 2 named otherwise (DepthwiseConv2D's {@code depthwise_kernel} is
   * {@code kernel} in Keras 3; its legacy .h5 files name weights that way), or null.
   */
  static String keras3VariableName(String keras2Name) {
    return keras2Name.equals("depthwise_kernel") ? "kernel" : null;
  }

  /** LeakyReLU's default slope: Keras 2 {@code alpha=0.3}, Keras 3 {@code negative_slope=0.2}. */
  double leakyReluSlope(LayerContext c) {
    return c.number("negative_slope", c.number("alpha", keras3 ? 0.2 : 0.3));
  }

  /** hard_sigmoid: Keras 3 relu6(x + 3) / 6; Keras 2 clip(0.2 x + 0.5, 0, 1) = relu6(1.2 x + 3) / 6. */
  double hardSigmoidInputScale() {
    return keras3 ? 1 : 1.2;
  }
}
