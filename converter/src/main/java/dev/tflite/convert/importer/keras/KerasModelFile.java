package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.TensorData;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keras model file: its architecture (the {@code model_config} JSON) and its weights by layer name, in the order the
 * layer creates them. Reads Keras 2 HDF5 ({@code model_config} attribute + {@code model_weights} groups) and Keras 3
 * {@code .keras} zips ({@code config.json} + {@code model.weights.h5} with {@code layers/<x>/vars/<i>}).
 */
final class KerasModelFile {
  private static final JsonMapper JSON = new JsonMapper();

  final JsonNode config;
  final Map<String, List<TensorData>> weights;

  private KerasModelFile(JsonNode config, Map<String, List<TensorData>> weights) {
    this.config = config;
    this.weights = weights;
  }

  static KerasModelFile read(Path file) {
    String name = file.getFileName().toString();
    try {
      return name.endsWith(".keras") ? readKeras3(file) : readHdf5(file);
    } catch (ConversionException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ConversionException(file + " is not a readable Keras model file (" + e.getMessage() + "); save it with model.save(\"x.keras\") or"
          + " model.save(\"x.h5\")", e);
    }
  }

  private static KerasModelFile readHdf5(Path file) throws IOException {
    try (HdfFile h5 = new HdfFile(file)) {
      Attribute configAttr = h5.getAttribute("model_config");
      if (configAttr == null) {
        throw new ConversionException(file + " is an HDF5 file but not a Keras model (no 'model_config' attribute; a weights-only file saved"
            + " with save_weights?); save the whole model with model.save(\"x.h5\")");
      }
      JsonNode config = JSON.readTree(text(configAttr.getData()));
      Map<String, List<TensorData>> weights = new HashMap<>();
      Node root = h5.getChild("model_weights");
      if (root instanceof Group modelWeights) {
        for (Node layer : modelWeights.getChildren().values()) {
          if (layer instanceof Group g && g.getAttribute("weight_names") != null) {
            List<TensorData> values = new ArrayList<>();
            for (String weightName : strings(g.getAttribute("weight_names").getData())) {
              values.add(tensor((Dataset) g.getByPath(weightName)));
            }
            weights.put(g.getName(), values);
          }
        }
      }
      return new KerasModelFile(config, weights);
    }
  }

  private static KerasModelFile readKeras3(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry configEntry = zip.getEntry("config.json");
      ZipEntry weightsEntry = zip.getEntry("model.weights.h5");
      if (configEntry == null || weightsEntry == null) {
        throw new ConversionException(file + " is a zip but not a Keras 3 model (config.json and model.weights.h5 expected)");
      }
      JsonNode config;
      try (InputStream in = zip.getInputStream(configEntry)) {
        config = JSON.readTree(in);
      }
      Path h5File = Files.createTempFile("keras-weights", ".h5");
      try {
        try (InputStream in = zip.getInputStream(weightsEntry)) {
          Files.copy(in, h5File, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, List<TensorData>> weights = new HashMap<>();
        try (HdfFile h5 = new HdfFile(h5File)) {
          if (h5.getChild("layers") instanceof Group layers) {
            collectKeras3(layers, weights);
          }
        }
        return new KerasModelFile(config, weights);
      } finally {
        Files.deleteIfExists(h5File);
      }
    }
  }

  /** {@code layers/<path>/vars/<i>}: the vars group's {@code name} attribute is the layer's name. */
  private static void collectKeras3(Group group, Map<String, List<TensorData>> weights) {
    for (Node child : group.getChildren().values()) {
      if (child instanceof Group g) {
        Node vars = g.getChild("vars");
        if (vars instanceof Group v && v.getAttribute("name") != null && !v.getChildren().isEmpty()) {
          List<Dataset> datasets = v.getChildren().values().stream().filter(Dataset.class::isInstance).map(Dataset.class::cast)
              .sorted(Comparator.comparingInt(d -> Integer.parseInt(d.getName()))).toList();
          List<TensorData> values = new ArrayList<>();
          datasets.forEach(d -> values.add(tensor(d)));
          weights.put(text(v.getAttribute("name").getData()), values);
        }
        if (g.getChild("layers") instanceof Group nested) {
          collectKeras3(nested, weights);
        }
      }
    }
  }

  private static TensorData tensor(Dataset dataset) {
    int[] dims = dataset.getDimensions();
    long[] shape = java.util.Arrays.stream(dims).asLongStream().toArray();
    Object data = dataset.getData();
    ByteBuffer buffer = ByteBuffer.allocate((int) (java.util.Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b) * 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    flatten(data, buffer);
    return new TensorData(DType.FLOAT32, shape, buffer.array());
  }

  private static void flatten(Object data, ByteBuffer out) {
    if (data instanceof float[] f) {
      for (float v : f) {
        out.putFloat(v);
      }
    } else if (data instanceof double[] d) {
      for (double v : d) {
        out.putFloat((float) v);
      }
    } else if (data instanceof Float f) {
      out.putFloat(f);
    } else if (data instanceof Object[] array) {
      for (Object o : array) {
        flatten(o, out);
      }
    } else {
      throw new ConversionException("a Keras weight has type " + data.getClass().getSimpleName() + "; only float weights are supported");
    }
  }

  private static String text(Object data) {
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] a && a.length == 1) {
      return a[0];
    }
    return String.valueOf(data);
  }

  private static List<String> strings(Object data) {
    if (data == null || (data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0)) {
      return List.of(); // layers without weights store an empty list
    }
    if (data instanceof String[] a) {
      return List.of(a);
    }
    return List.of(text(data));
  }
}
