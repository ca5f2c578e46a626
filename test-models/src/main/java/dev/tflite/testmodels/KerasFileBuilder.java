package dev.tflite.testmodels;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes real Keras 3 {@code .keras} files (config.json + model.weights.h5, the layout Keras saves) for functional
 * models described in Java, with seeded weights: the model zoo the Keras importer is tested on. Tracks shapes so each
 * layer's weights have the shapes Keras would create.
 */
public final class KerasFileBuilder {
  private static final JsonMapper JSON = new JsonMapper();

  private final String name;
  private final SplittableRandom random;
  private final ArrayNode layers = JSON.createArrayNode();
  private final Map<String, long[]> shapes = new HashMap<>();
  private final Map<String, List<float[]>> weights = new LinkedHashMap<>();
  private final Map<String, List<long[]>> weightShapes = new LinkedHashMap<>();
  private final List<String> inputs = new ArrayList<>();
  private int counter;

  public KerasFileBuilder(String name, long seed) {
    this.name = name;
    this.random = new SplittableRandom(seed);
  }

  public String input(String layer, long... shape) {
    return input(layer, "float32", shape);
  }

  /** An input of another dtype, e.g. {@code int32} token ids for an Embedding. */
  public String input(String layer, String dtype, long... shape) {
    ObjectNode config = JSON.createObjectNode().put("name", layer).put("dtype", dtype);
    ArrayNode batchShape = config.putArray("batch_shape");
    batchShape.addNull();
    for (long d : shape) {
      batchShape.add(d);
    }
    ObjectNode node = JSON.createObjectNode().put("module", "keras.layers").put("class_name", "InputLayer").put("name", layer);
    node.set("config", config);
    node.putArray("inbound_nodes");
    layers.add(node);
    shapes.put(layer, withBatch(shape));
    inputs.add(layer);
    return layer;
  }

  /** A layer applied to {@code args}; {@code outShape} is its output shape without the batch. */
  public String layer(String className, String layerName, ObjectNode config, long[] outShape, List<long[]> weightShapeList, String... args) {
    String layer = layerName != null ? layerName : className.toLowerCase() + "_" + counter++;
    config.put("name", layer);
    ObjectNode node = JSON.createObjectNode().put("module", "keras.layers").put("class_name", className).put("name", layer);
    node.set("config", config);
    ObjectNode call = node.putArray("inbound_nodes").addObject();
    ArrayNode callArgs = call.putArray("args");
    ArrayNode target = args.length > 1 ? callArgs.addArray() : callArgs;
    for (String a : args) {
      addKerasTensor(target, a);
    }
    call.putObject("kwargs");
    layers.add(node);
    shapes.put(layer, withBatch(outShape));
    if (!weightShapeList.isEmpty()) {
      List<float[]> values = new ArrayList<>();
      for (long[] ws : weightShapeList) {
        values.add(initial(className, values.size(), ws));
      }
      weights.put(layer, values);
      weightShapes.put(layer, weightShapeList);
    }
    return layer;
  }

  /**
   * Calls an existing layer again (a shared layer): a second inbound node, whose output is named {@code layer#1}
   * (node index 1) for later references.
   */
  public String callAgain(String layer, long[] outShape, String... args) {
    ObjectNode node = null;
    for (var n : layers) {
      if (n.get("name").asText().equals(layer)) {
        node = (ObjectNode) n;
      }
    }
    ArrayNode inbound = (ArrayNode) node.get("inbound_nodes");
    int index = inbound.size();
    ObjectNode call = inbound.addObject();
    ArrayNode callArgs = call.putArray("args");
    for (String a : args) {
      addKerasTensor(callArgs, a);
    }
    call.putObject("kwargs");
    String id = layer + "#" + index;
    shapes.put(id, withBatch(outShape));
    return id;
  }

  /**
   * A call Keras 2 (tf.keras) records as a layer: {@code TFOpLambda} for a {@code tf.*} function, {@code SlicingOpLambda}
   * for {@code x[...]}. Its config names the function; its inbound node is the first argument's structure as tf.keras
   * writes it, each tensor {@code [layer, 0, 0, kwargs]} (the bare ref for one tensor, a list of them for a list),
   * every other argument by name in {@code kwargs} (tensors there as {@code [layer, 0, 0]}, see {@link #ref}). Written
   * by {@link #writeKeras2} only: Keras 3 files have no such layers.
   */
  public String recordedCall(String className, String function, long[] outShape, ObjectNode kwargs, String... firstArgument) {
    String layer = "tf." + function + "_" + counter++;
    ObjectNode config = JSON.createObjectNode().put("name", layer).put("trainable", true).put("dtype", "float32").put("function", function);
    ObjectNode node = JSON.createObjectNode().put("class_name", className).put("name", layer);
    node.set("config", config);
    kwargs.putNull("name");
    ArrayNode inbound = node.putArray("inbound_nodes");
    if (firstArgument.length == 1) {
      inbound.addArray().add(firstArgument[0]).add(0).add(0).add(kwargs);
    } else {
      ArrayNode list = inbound.addArray();
      for (String a : firstArgument) {
        list.addArray().add(a).add(0).add(0).add(kwargs);
      }
    }
    node.put("keras2_only", true);
    layers.add(node);
    shapes.put(layer, withBatch(outShape));
    return layer;
  }

  /** A tensor passed by keyword to a Keras 2 recorded call: {@code [layer, 0, 0]}. */
  public static ArrayNode ref(String tensor) {
    return JSON.createArrayNode().add(tensor).add(0).add(0);
  }

  private void addKerasTensor(ArrayNode target, String tensor) {
    String[] ref = tensor.split("#");
    ObjectNode kt = target.addObject().put("class_name", "__keras_tensor__");
    ObjectNode ktConfig = kt.putObject("config").put("dtype", "float32");
    ArrayNode shape = ktConfig.putArray("shape");
    for (long d : shapes.get(tensor)) {
      if (d < 0) {
        shape.addNull();
      } else {
        shape.add(d);
      }
    }
    ktConfig.putArray("keras_history").add(ref[0]).add(ref.length > 1 ? Integer.parseInt(ref[1]) : 0).add(0);
  }

  /** A shape with the unknown batch dimension (-1) in front. */
  private static long[] withBatch(long[] shape) {
    long[] full = new long[shape.length + 1];
    full[0] = -1;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return full;
  }

  public long[] shape(String tensor) {
    return shapes.get(tensor).clone();
  }

  public static ObjectNode config() {
    return JSON.createObjectNode();
  }

  /** Seeded weights of plausible scale: Glorot-like kernels, small biases, BatchNormalization statistics near identity. */
  private float[] initial(String className, int index, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    boolean batchNorm = className.equals("BatchNormalization");
    double fanIn = shape.length >= 2 ? n / (double) shape[shape.length - 1] : 1;
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble() * 2 - 1;
      v[i] = (float) (batchNorm ? switch (index) {
        case 0 -> 1 + 0.3 * u;   // gamma
        case 1 -> 0.1 * u;       // beta
        case 2 -> 0.1 * u;       // moving mean
        default -> 1 + 0.4 * u;  // moving variance (> 0)
      } : positiveScale(className, index) ? 1 + 0.4 * u : shape.length == 1 ? 0.05 * u : u * Math.sqrt(3.0 / fanIn));
    }
    return v;
  }

  /** Weights that are a scale or a variance: near 1 and positive (LayerNormalization's gamma, Normalization's variance). */
  private static boolean positiveScale(String className, int index) {
    return (className.endsWith("Normalization") && !className.equals("Normalization") && index == 0)
        || (className.equals("Normalization") && index == 1);
  }

  public Path write(Path file, String... outputs) {
    ObjectNode root = JSON.createObjectNode().put("module", "keras.src.models.functional").put("class_name", "Functional");
    ObjectNode config = root.putObject("config").put("name", name);
    config.set("layers", layers);
    ArrayNode in = config.putArray("input_layers");
    inputs.forEach(i -> in.addArray().add(i).add(0).add(0));
    ArrayNode out = config.putArray("output_layers");
    for (String o : outputs) {
      String[] ref = o.split("#");
      out.addArray().add(ref[0]).add(ref.length > 1 ? Integer.parseInt(ref[1]) : 0).add(0);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path h5 = Files.createTempFile("keras-weights", ".h5");
      try (WritableHdfFile hdf = HdfFile.write(h5)) {
        WritableGroup layersGroup = hdf.putGroup("layers");
        for (Map.Entry<String, List<float[]>> e : weights.entrySet()) {
          WritableGroup vars = layersGroup.putGroup(e.getKey()).putGroup("vars");
          vars.putAttribute("name", e.getKey());
          for (int i = 0; i < e.getValue().size(); i++) {
            vars.putDataset(Integer.toString(i), reshape(e.getValue().get(i), weightShapes.get(e.getKey()).get(i)));
          }
        }
      }
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
        zip.putNextEntry(new ZipEntry("metadata.json"));
        zip.write("{\"keras_version\": \"3.13.2\"}".getBytes(StandardCharsets.UTF_8));
        zip.putNextEntry(new ZipEntry("config.json"));
        zip.write(JSON.writeValueAsBytes(root));
        zip.putNextEntry(new ZipEntry("model.weights.h5"));
        zip.write(Files.readAllBytes(h5));
      }
      Files.delete(h5);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The same model as a Keras 2 HDF5 file ({@code model.save("x.h5")} in Keras 2.x): the {@code model_config} attribute
   * with Keras 2 layer configs ({@code batch_input_shape}, nested-list {@code inbound_nodes}) and one
   * {@code model_weights/<layer>} group per weighted layer listing its {@code weight_names}.
   */
  public Path writeKeras2(Path file, String... outputs) {
    ObjectNode root = JSON.createObjectNode().put("class_name", "Functional");
    ObjectNode config = root.putObject("config").put("name", name);
    ArrayNode keras2Layers = config.putArray("layers");
    for (var layer : layers) {
      ObjectNode node = keras2Layers.addObject().put("class_name", layer.get("class_name").asText()).put("name", layer.get("name").asText());
      ObjectNode layerConfig = ((ObjectNode) layer.get("config")).deepCopy();
      if (layerConfig.has("batch_shape")) {
        layerConfig.set("batch_input_shape", layerConfig.remove("batch_shape"));
      }
      node.set("config", layerConfig);
      if (layer.has("keras2_only")) {
        node.set("inbound_nodes", layer.get("inbound_nodes"));
        continue;
      }
      ArrayNode inbound = node.putArray("inbound_nodes");
      for (var call : layer.get("inbound_nodes")) {
        ArrayNode refs = inbound.addArray();
        List<String[]> history = new ArrayList<>();
        collectHistory(call.get("args"), history);
        history.forEach(h -> refs.addArray().add(h[0]).add(Integer.parseInt(h[1])).add(0).addObject());
      }
    }
    ArrayNode in = config.putArray("input_layers");
    inputs.forEach(i -> in.addArray().add(i).add(0).add(0));
    ArrayNode out = config.putArray("output_layers");
    for (String o : outputs) {
      String[] ref = o.split("#");
      out.addArray().add(ref[0]).add(ref.length > 1 ? Integer.parseInt(ref[1]) : 0).add(0);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (WritableHdfFile hdf = HdfFile.write(file)) {
        hdf.putAttribute("model_config", JSON.writeValueAsString(root));
        hdf.putAttribute("keras_version", "2.9.0");
        hdf.putAttribute("backend", "tensorflow");
        WritableGroup modelWeights = hdf.putGroup("model_weights");
        if (!weights.isEmpty()) { // jhdf cannot write an empty string array; a model without weights has no layer_names
          modelWeights.putAttribute("layer_names", weights.keySet().toArray(String[]::new));
        }
        Map<String, Integer> cellNames = new HashMap<>();
        for (Map.Entry<String, List<float[]>> e : weights.entrySet()) {
          String layer = e.getKey();
          WritableGroup group = modelWeights.putGroup(layer);
          Map<String, WritableGroup> folders = new HashMap<>();
          folders.put("", group.putGroup(layer));
          List<String> names = keras2WeightNames(layerNode(layer), e.getValue().size(), cellNames);
          group.putAttribute("weight_names", names.stream().map(n -> layer + "/" + n + ":0").toArray(String[]::new));
          for (int i = 0; i < e.getValue().size(); i++) {
            String path = names.get(i);
            int slash = path.lastIndexOf('/');
            WritableGroup folder = folder(folders, slash < 0 ? "" : path.substring(0, slash));
            folder.putDataset(path.substring(slash + 1) + ":0", reshape(e.getValue().get(i), weightShapes.get(layer).get(i)));
          }
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void collectHistory(com.fasterxml.jackson.databind.JsonNode node, List<String[]> out) {
    if (node.isArray()) {
      node.forEach(n -> collectHistory(n, out));
    } else if (node.has("config") && node.get("config").has("keras_history")) {
      var h = node.get("config").get("keras_history");
      out.add(new String[] {h.get(0).asText(), h.get(1).asText()});
    }
  }

  /** The group at {@code path} ("a/b") below the layer's own group, made on first use. */
  private static WritableGroup folder(Map<String, WritableGroup> folders, String path) {
    WritableGroup found = folders.get(path);
    if (found == null) {
      int slash = path.lastIndexOf('/');
      found = folder(folders, slash < 0 ? "" : path.substring(0, slash)).putGroup(path.substring(slash + 1));
      folders.put(path, found);
    }
    return found;
  }

  private com.fasterxml.jackson.databind.JsonNode layerNode(String layer) {
    for (var n : layers) {
      if (n.get("name").asText().equals(layer)) {
        return n;
      }
    }
    return JSON.createObjectNode();
  }

  /**
   * The variable names Keras 2 gives a layer's weights, in creation order. A recurrent layer's live in its cell,
   * named after the cell class and numbered per model as Keras 2 numbers them ({@code lstm/lstm_cell/kernel},
   * {@code lstm_1/lstm_cell_1/kernel}); a Bidirectional wrapper builds the layer it is given (one cell name used) and
   * then a forward and a backward copy of it, each with a cell of its own
   * ({@code bidirectional/forward_lstm/lstm_cell_1/kernel}, {@code bidirectional/backward_lstm/lstm_cell_2/kernel}).
   */
  private static List<String> keras2WeightNames(com.fasterxml.jackson.databind.JsonNode layer, int count, Map<String, Integer> cellNames) {
    String className = layer.path("class_name").asText();
    if (className.equals("Bidirectional")) {
      var inner = layer.get("config").get("layer");
      String innerName = inner.get("config").get("name").asText();
      String base = cellBase(inner.get("class_name").asText());
      cellName(base, cellNames); // the wrapped layer's own cell, never used
      List<String> names = new ArrayList<>();
      for (String direction : List.of("forward_", "backward_")) {
        String cell = direction + innerName + "/" + cellName(base, cellNames);
        recurrentWeights(count / 2).forEach(w -> names.add(cell + "/" + w));
      }
      return names;
    }
    String base = cellBase(className);
    if (base != null) {
      String cell = cellName(base, cellNames);
      return recurrentWeights(count).stream().map(w -> cell + "/" + w).toList();
    }
    List<String> names = switch (className) {
      case "BatchNormalization" -> List.of("gamma", "beta", "moving_mean", "moving_variance");
      case "DepthwiseConv2D" -> List.of("depthwise_kernel", "bias");
      case "Embedding" -> List.of("embeddings");
      default -> List.of("kernel", "bias");
    };
    return count <= names.size() ? names.subList(0, count) : java.util.stream.IntStream.range(0, count).mapToObj(i -> "weight_" + i).toList();
  }

  private static String cellBase(String recurrentClass) {
    return switch (recurrentClass) {
      case "LSTM" -> "lstm_cell";
      case "GRU" -> "gru_cell";
      case "SimpleRNN" -> "simple_rnn_cell";
      default -> null;
    };
  }

  private static List<String> recurrentWeights(int count) {
    return List.of("kernel", "recurrent_kernel", "bias").subList(0, count);
  }

  /** Keras 2's unique layer names: {@code base}, then {@code base_1}, {@code base_2}, ... */
  private static String cellName(String base, Map<String, Integer> used) {
    int n = used.merge(base, 1, Integer::sum) - 1;
    return n == 0 ? base : base + "_" + n;
  }

  /** A Java multi-dimensional float array of the given shape (what jhdf writes as an N-d dataset). */
  private static Object reshape(float[] flat, long[] shape) {
    if (shape.length == 1) {
      return flat;
    }
    int outer = (int) shape[0];
    int inner = flat.length / outer;
    long[] rest = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    Object first = reshape(java.util.Arrays.copyOfRange(flat, 0, inner), rest);
    Object array = java.lang.reflect.Array.newInstance(first.getClass(), outer);
    java.lang.reflect.Array.set(array, 0, first);
    for (int i = 1; i < outer; i++) {
      java.lang.reflect.Array.set(array, i, reshape(java.util.Arrays.copyOfRange(flat, i * inner, (i + 1) * inner), rest));
    }
    return array;
  }
}
