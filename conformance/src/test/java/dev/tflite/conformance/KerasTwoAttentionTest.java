package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tflite.convert.importer.keras.KerasImporter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attention layers in Keras 2's (tf.keras) file layout, which Keras 3 cannot write and tf-keras cannot be installed
 * here to write: each real Keras 3 legacy .h5 of fixtures/generated/keras-attention rewritten as tf.keras saves the
 * same model (inbound nodes as {@code [[[query, 0, 0, {"value": [v, 0, 0], "attention_mask": [m, 0, 0]}]]]}, the
 * first argument's structure with every other argument by name; {@code batch_input_shape}; plain dtypes;
 * attention_axes null; weight names with {@code :0}), then converted and held to Keras' own predictions for the
 * same weights, in TensorFlow Lite 2.18 and 2.6.2.
 */
class KerasTwoAttentionTest {
  private static final JsonMapper JSON = new JsonMapper();
  /** The names of positional call arguments after the first (Keras 2 passes them by name). */
  private static final Map<String, List<String>> CALL_ARGUMENTS = Map.of("MultiHeadAttention", List.of("value", "key"), "Attention", List.of("mask"),
      "AdditiveAttention", List.of("mask"));

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mha_attention_mask", "mha_query_value_key_no_bias", "mha_causal_and_mask", "mha_attention_scores", "attention_masks",
      "additive_attention_key_masks"})
  void keras2LayoutMatchesKeras(String name) throws Exception {
    Path keras2 = rewriteAsKeras2(Tflite.fixture(KerasRealAttentionTest.FOLDER + name + ".h5"), dir.resolve(name + ".keras2.h5"));
    Path tflite = dir.resolve(name + ".tflite");
    Tflite.convert(keras2, QuantizationMode.NONE, tflite);
    var graph = KerasImporter.load(keras2);
    NamedTensors inputs = new NamedTensors();
    for (int i = 0; i < graph.inputs().size(); i++) {
      NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(KerasRealAttentionTest.FOLDER + name + ".inputs." + i + ".npy"));
      inputs.put(graph.inputs().get(i).name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
    }
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int j = 0; j < graph.outputs().size(); j++) {
      expected.add(NpyReader.read(Tflite.fixture(KerasRealAttentionTest.FOLDER + name + ".keras_outputs." + j + ".npy")));
    }
    List<String> outputs = graph.outputs().stream().map(SignatureTensor::name).toList();
    assertEquals(expected.size(), outputs.size());
    long k = FloatBound.longestAccumulation(tflite);
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      double worst = KerasRealAttentionTest.compare(name + " (Keras 2 layout)", "2.18", runner, inputs, expected, outputs, k);
      double worst26 = KerasRealAttentionTest.compare(name + " (Keras 2 layout)", TfLite26Runner.VERSION, old, inputs, expected, outputs, k);
      System.out.printf(java.util.Locale.ROOT, "keras 2 layout %-32s max abs vs Keras %.3g (TFLite 2.6.2: %.3g)%n", name, worst, worst26);
    }
  }

  /** The tf.keras HDF5 file of the same model: its config in Keras 2's layout, its weights under Keras 2's names. */
  static Path rewriteAsKeras2(Path keras3Legacy, Path out) throws Exception {
    try (HdfFile in = new HdfFile(keras3Legacy); WritableHdfFile hdf = HdfFile.write(out)) {
      JsonNode config = JSON.readTree((String) in.getAttribute("model_config").getData());
      hdf.putAttribute("model_config", JSON.writeValueAsString(keras2Config(config)));
      hdf.putAttribute("keras_version", "2.15.0");
      hdf.putAttribute("backend", "tensorflow");
      WritableGroup weights = hdf.putGroup("model_weights");
      for (Node layer : ((Group) in.getChild("model_weights")).getChildren().values()) {
        if (!(layer instanceof Group g) || g.getAttribute("weight_names") == null) {
          continue;
        }
        if (!(g.getAttribute("weight_names").getData() instanceof String[] names) || names.length == 0) {
          continue; // a layer without weights (an empty list reads as null)
        }
        WritableGroup target = weights.putGroup(layer.getName());
        List<String> renamed = new ArrayList<>();
        for (String weight : names) {
          renamed.add(weight + ":0");
          String[] parts = weight.split("/");
          WritableGroup parent = target;
          for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.getChild(parts[i]) instanceof WritableGroup existing ? existing : parent.putGroup(parts[i]);
          }
          parent.putDataset(parts[parts.length - 1] + ":0", ((Dataset) g.getByPath(weight)).getData());
        }
        target.putAttribute("weight_names", renamed.toArray(String[]::new));
      }
    }
    return out;
  }

  private static JsonNode keras2Config(JsonNode model) {
    ObjectNode root = JSON.createObjectNode().put("class_name", "Functional");
    ObjectNode config = root.putObject("config").put("name", model.path("config").path("name").asText());
    ArrayNode layers = config.putArray("layers");
    for (JsonNode layer : model.path("config").path("layers")) {
      String cls = layer.path("class_name").asText();
      ObjectNode c = ((ObjectNode) layer.path("config")).deepCopy();
      if (c.has("batch_shape")) {
        c.set("batch_input_shape", c.remove("batch_shape"));
      }
      c.put("dtype", c.path("dtype").isObject() || c.path("dtype").isMissingNode() ? "float32" : c.path("dtype").asText());
      if (cls.equals("MultiHeadAttention")) {
        c.putNull("attention_axes");
        c.remove(List.of("use_gate", "sliding_window", "seed"));
      }
      ObjectNode node = layers.addObject().put("class_name", cls).put("name", layer.path("name").asText());
      node.set("config", c);
      ArrayNode inbound = node.putArray("inbound_nodes");
      for (JsonNode call : layer.path("inbound_nodes")) {
        ObjectNode kwargs = JSON.createObjectNode();
        List<String> names = CALL_ARGUMENTS.getOrDefault(cls, List.of());
        for (int i = 1; i < call.path("args").size(); i++) {
          kwargs.set(names.get(i - 1), keras2Value(call.path("args").get(i)));
        }
        call.path("kwargs").fields().forEachRemaining(e -> kwargs.set(e.getKey(), keras2Value(e.getValue())));
        JsonNode first = call.path("args").get(0);
        if (first.isArray()) { // a list argument is the node itself; one tensor is wrapped in a list
          inbound.add(firstArgument(first, kwargs));
        } else {
          inbound.addArray().add(firstArgument(first, kwargs));
        }
      }
    }
    config.set("input_layers", model.path("config").path("input_layers"));
    config.set("output_layers", model.path("config").path("output_layers"));
    return root;
  }

  /** The first argument as tf.keras writes it: each tensor [layer, node, tensor, kwargs], a list of them for a list. */
  private static JsonNode firstArgument(JsonNode arg, ObjectNode kwargs) {
    if (arg.isArray()) {
      ArrayNode list = JSON.createArrayNode();
      arg.forEach(a -> list.add(firstArgument(a, kwargs)));
      return list;
    }
    JsonNode history = arg.path("config").path("keras_history");
    return JSON.createArrayNode().add(history.get(0).asText()).add(history.get(1).asInt()).add(history.get(2).asInt()).add(kwargs);
  }

  /** A keyword argument as tf.keras writes it: a tensor as [layer, node, tensor], lists element by element. */
  private static JsonNode keras2Value(JsonNode v) {
    if (v.isObject() && "__keras_tensor__".equals(v.path("class_name").asText())) {
      JsonNode history = v.path("config").path("keras_history");
      return JSON.createArrayNode().add(history.get(0).asText()).add(history.get(1).asInt()).add(history.get(2).asInt());
    }
    if (v.isArray()) {
      ArrayNode list = JSON.createArrayNode();
      v.forEach(a -> list.add(keras2Value(a)));
      return list;
    }
    return v;
  }
}
