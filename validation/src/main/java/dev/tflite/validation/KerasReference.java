package dev.tflite.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original of a Keras model: the TensorFlow graph the converter built from its layers (the ops Keras runs),
 * saved as {@code <name>.frozen.pb} in the converter's work directory and run in TensorFlow, outputs renamed to the
 * Keras output layer names.
 */
final class KerasReference {
  private KerasReference() {}

  static ModelRunner open(Path debugDirectory, String model, String prefix) {
    Path map = debugDirectory == null ? null : debugDirectory.resolve(model + ".layers.json");
    if (map == null || !Files.isRegularFile(map)) {
      throw new ValidationException(prefix + "validating a Keras model needs the TensorFlow graph the converter built from it; convert it first"
          + " (the plugin keeps it in target/tflite-work)");
    }
    try {
      JsonNode json = new JsonMapper().readTree(map.toFile());
      Map<String, String> inputs = new LinkedHashMap<>();
      json.get("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
      Map<String, String> outputs = new LinkedHashMap<>();
      json.get("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
      TensorFlowRunner graph = TensorFlowRunner.frozen(debugDirectory.resolve(model + ".frozen.pb"), inputs, new ArrayList<>(outputs.values()));
      return new ModelRunner() {
        @Override
        public NamedTensors run(NamedTensors in) {
          NamedTensors raw = graph.run(in);
          NamedTensors named = new NamedTensors();
          outputs.forEach((name, tensor) -> named.put(name, raw.get(tensor)));
          return named;
        }

        @Override
        public List<TensorSpec> inputSpecs() {
          return graph.inputSpecs();
        }

        /** The graph's fetches under the Keras output layer names. */
        @Override
        public List<TensorSpec> outputSpecs() {
          List<TensorSpec> graphSpecs = graph.outputSpecs();
          List<TensorSpec> specs = new ArrayList<>();
          int i = 0;
          for (String name : outputs.keySet()) {
            TensorSpec s = graphSpecs.get(i++);
            specs.add(new TensorSpec(name, s.type(), s.shape()));
          }
          return specs;
        }

        @Override
        public void close() {
          graph.close();
        }
      };
    } catch (IOException e) {
      throw new ValidationException(prefix + "cannot read " + map + ": " + e.getMessage(), e);
    }
  }

}
