package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Reads a Keras model (Keras 2 {@code .h5} or Keras 3 {@code .keras}) into a TensorFlow graph built with the ops
 * Keras runs for each layer, weights as constants; Sequential and functional models (several inputs and outputs,
 * shared layers, merges). The signature's names are the input and output layer names.
 */
public final class KerasImporter {
  private KerasImporter() {}

  public static TfGraph load(Path file) {
    KerasModelFile model = KerasModelFile.read(file);
    try {
      return build(file, model);
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      // a config that parses as JSON but not as a Keras model: wrong types, missing fields, dangling references
      throw new ConversionException(file + " holds a Keras model config this converter cannot follow (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); re-save the model with model.save(\"x.keras\") from the Keras that trained it", e);
    }
  }

  private static TfGraph build(Path file, KerasModelFile model) {
    JsonNode root = model.config;
    String modelClass = root.path("class_name").asText();
    JsonNode config = root.path("config");
    boolean keras3 = root.has("module") || file.getFileName().toString().endsWith(".keras");
    List<JsonNode> layers = new ArrayList<>();
    config.path("layers").forEach(layers::add);
    if (layers.isEmpty()) {
      throw new ConversionException(file + ": the Keras model '" + config.path("name").asText() + "' (" + modelClass + ") has no layers");
    }
    checkSupport(file, layers);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
      Map<String, Operand<TFloat32>> inputs = new LinkedHashMap<>();
      List<String> failures = new ArrayList<>();
      if (modelClass.equals("Sequential")) {
        buildSequential(tf, layers, model.weights, keras3, inputs, outputs, failures);
      } else if (modelClass.equals("Functional") || modelClass.equals("Model")) {
        buildFunctional(tf, config, layers, model.weights, keras3, inputs, outputs, failures);
      } else {
        throw new ConversionException(file + ": Keras model class '" + modelClass + "' is not supported (Sequential and functional models are)");
      }
      if (!failures.isEmpty()) {
        throw new ConversionException(file + ": cannot convert " + failures.size() + " Keras layer(s):\n  " + String.join("\n  ", failures));
      }
      GraphDef def = graph.toGraphDef();
      List<SignatureTensor> in = new ArrayList<>();
      inputs.forEach((name, p) -> in.add(new SignatureTensor(name, new TensorName(p.op().name(), 0), p.asOutput().dataType(), p.shape().asArray())));
      List<SignatureTensor> out = new ArrayList<>();
      outputs.forEach((name, o) -> out.add(new SignatureTensor(name, new TensorName(o.op().name(), o.asOutput().index()), o.asOutput().dataType(), null)));
      return new TfGraph("serving_default", def.getVersions(), def.getNodeList(), in, out);
    }
  }

  /** Every layer class the converter cannot lower, with its layer names, in one message. */
  private static void checkSupport(Path file, List<JsonNode> layers) {
    Map<String, TreeSet<String>> unsupported = new TreeMap<>();
    for (JsonNode layer : layers) {
      String cls = layer.path("class_name").asText();
      if (!cls.equals("InputLayer") && !KerasLayers.supports(cls)) {
        unsupported.computeIfAbsent(cls, k -> new TreeSet<>()).add(layerName(layer));
      }
    }
    if (!unsupported.isEmpty()) {
      StringBuilder message = new StringBuilder(file + " uses " + unsupported.size() + " Keras layer class(es) the converter cannot lower yet:");
      unsupported.forEach((cls, names) -> message.append("\n  ").append(cls).append(" (").append(String.join(", ", names)).append(")"));
      message.append("\nSupported layers: InputLayer, ").append(String.join(", ", KerasLayers.supported()));
      throw new ConversionException(message.toString());
    }
  }

  private static String layerName(JsonNode layer) {
    return layer.has("name") ? layer.get("name").asText() : layer.path("config").path("name").asText();
  }

  private static String scopeName(String name) {
    return name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
  }

  /**
   * The input placeholder. Integer inputs (token ids for Embedding) are int32; they travel through the builder typed
   * as float operands (erased generics) and only Embedding reads them as indices.
   */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> placeholder(Ops tf, String name, JsonNode config) {
    JsonNode shape = config.has("batch_shape") ? config.get("batch_shape") : config.get("batch_input_shape");
    if (shape == null) {
      throw new ConversionException("Keras input '" + name + "' declares no shape");
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
    }
    String dtype = config.path("dtype").isTextual() ? config.path("dtype").asText() : "float32";
    if (dtype.startsWith("int")) {
      Operand<?> ids = tf.withName(scopeName(name)).placeholder(org.tensorflow.types.TInt32.class, Placeholder.shape(Shape.of(dims)));
      return (Operand<TFloat32>) ids;
    }
    if (!dtype.equals("float32")) {
      throw new ConversionException("Keras input '" + name + "' has dtype " + dtype + "; float32 and int32 inputs are supported");
    }
    return tf.withName(scopeName(name)).placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  private static void buildSequential(Ops tf, List<JsonNode> layers, Map<String, List<TensorData>> weights, boolean keras3,
      Map<String, Operand<TFloat32>> inputs, Map<String, Operand<TFloat32>> outputs, List<String> failures) {
    Operand<TFloat32> x;
    int start = 0;
    JsonNode first = layers.get(0);
    if (first.path("class_name").asText().equals("InputLayer")) {
      Operand<TFloat32> p = placeholder(tf, layerName(first), first.path("config"));
      inputs.put(layerName(first), p);
      x = p;
      start = 1;
    } else {
      String name = layerName(first) + "_input";
      Operand<TFloat32> p = placeholder(tf, name, first.path("config"));
      inputs.put(name, p);
      x = p;
    }
    String last = null;
    for (int i = start; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      last = layerName(layer);
      x = apply(tf, layer, List.of(x), weights, keras3, failures);
      if (x == null) {
        return;
      }
    }
    outputs.put(last == null ? "output" : last, x);
  }

  private static void buildFunctional(Ops tf, JsonNode config, List<JsonNode> layers, Map<String, List<TensorData>> weights, boolean keras3,
      Map<String, Operand<TFloat32>> inputs, Map<String, Operand<TFloat32>> outputs, List<String> failures) {
    Map<String, List<Operand<TFloat32>>> produced = new HashMap<>(); // layer name -> outputs per call (node index)
    for (JsonNode layer : layers) {
      String name = layerName(layer);
      if (layer.path("class_name").asText().equals("InputLayer")) {
        Operand<TFloat32> p = placeholder(tf, name, layer.path("config"));
        inputs.put(name, p);
        produced.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
        continue;
      }
      for (List<String[]> call : inboundCalls(layer.path("inbound_nodes"))) {
        List<Operand<TFloat32>> args = new ArrayList<>();
        for (String[] ref : call) {
          List<Operand<TFloat32>> from = produced.get(ref[0]);
          int node = Integer.parseInt(ref[1]);
          if (from == null || node >= from.size()) {
            throw new ConversionException("Keras layer '" + name + "' reads layer '" + ref[0] + "' before it is defined; layers must be in call order");
          }
          args.add(from.get(node));
        }
        Operand<TFloat32> y = apply(tf, layer, args, weights, keras3, failures);
        if (y == null) {
          return;
        }
        produced.computeIfAbsent(name, k -> new ArrayList<>()).add(y);
      }
    }
    List<String[]> outs = references(config.path("output_layers"));
    for (String[] ref : outs) {
      List<Operand<TFloat32>> from = produced.get(ref[0]);
      outputs.put(outs.size() == 1 || Integer.parseInt(ref[1]) == 0 ? ref[0] : ref[0] + "_" + ref[1], from.get(Integer.parseInt(ref[1])));
    }
  }

  /** Each call of a layer as a list of [layer, node index] references; Keras 2 and Keras 3 layouts. */
  private static List<List<String[]>> inboundCalls(JsonNode inbound) {
    List<List<String[]>> calls = new ArrayList<>();
    for (JsonNode call : inbound) {
      List<String[]> refs = new ArrayList<>();
      if (call.isArray()) { // Keras 2: [["name", node, tensor, {}], ...]
        call.forEach(r -> refs.add(new String[] {r.get(0).asText(), r.get(1).asText()}));
      } else { // Keras 3: {"args": [keras tensors or lists of them], "kwargs": {}}
        collectKerasTensors(call.path("args"), refs);
      }
      calls.add(refs);
    }
    return calls;
  }

  private static void collectKerasTensors(JsonNode node, List<String[]> refs) {
    if (node.isArray()) {
      node.forEach(n -> collectKerasTensors(n, refs));
    } else if (node.isObject() && "__keras_tensor__".equals(node.path("class_name").asText())) {
      JsonNode history = node.path("config").path("keras_history");
      refs.add(new String[] {history.get(0).asText(), history.get(1).asText()});
    }
  }

  private static List<String[]> references(JsonNode list) {
    List<String[]> refs = new ArrayList<>();
    if (list.isArray() && list.size() > 0 && list.get(0).isTextual()) { // a single [name, node, tensor]
      refs.add(new String[] {list.get(0).asText(), list.get(1).asText()});
    } else {
      list.forEach(r -> refs.add(new String[] {r.get(0).asText(), r.get(1).asText()}));
    }
    return refs;
  }

  private static Operand<TFloat32> apply(Ops tf, JsonNode layer, List<Operand<TFloat32>> args, Map<String, List<TensorData>> weights, boolean keras3,
      List<String> failures) {
    String name = layerName(layer);
    String cls = layer.path("class_name").asText();
    try {
      LayerContext c = new LayerContext(tf.withSubScope(scopeName(name)), name, cls, layer.path("config"), args,
          weights.getOrDefault(name, List.of()), keras3);
      return KerasLayers.lower(c);
    } catch (UnsupportedLayerException | IllegalArgumentException e) {
      failures.add("layer '" + name + "' (" + cls + "): " + e.getMessage());
      return null;
    } catch (RuntimeException e) { // a malformed layer config or weight (TensorFlow rejects the op it becomes)
      failures.add("layer '" + name + "' (" + cls + ") has a config or weights that cannot be lowered (" + e.getClass().getSimpleName() + ": "
          + dev.tflite.convert.tf.TfRuntime.firstLine(e.getMessage()) + ")");
      return null;
    }
  }
}
