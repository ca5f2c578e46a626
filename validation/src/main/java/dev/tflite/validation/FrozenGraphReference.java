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
 * The TensorFlow graph the converter prepared from the model, saved as {@code <name>.frozen.pb} in its work directory
 * and run in TensorFlow, outputs renamed to the model's output names. It is the original of a Keras model (the ops
 * Keras runs, built from its layers), and the reference for a model with dilated convolutions, which it holds in the
 * SpaceToBatchND form that TensorFlow's CPU kernels run with or without oneDNN.
 */
final class FrozenGraphReference {
  private FrozenGraphReference() {}

  /** Whether the converter's frozen graph of {@code model} is in {@code debugDirectory}. */
  static boolean available(Path debugDirectory, String model) {
    return debugDirectory != null && Files.isRegularFile(debugDirectory.resolve(model + ".layers.json"))
        && Files.isRegularFile(debugDirectory.resolve(model + ".frozen.pb"));
  }

  static ModelRunner forKeras(Path debugDirectory, String model, String prefix) {
    if (!available(debugDirectory, model)) {
      throw new ValidationException(prefix + "validating a Keras model needs the TensorFlow graph the converter built from it; convert it first"
          + " (the plugin keeps it in target/tflite-work)");
    }
    return open(debugDirectory, model, prefix);
  }

  static ModelRunner open(Path debugDirectory, String model, String prefix) {
    return open(debugDirectory, model, debugDirectory.resolve(model + ".frozen.pb"), prefix);
  }

  /**
   * The reference at the second length the converter built a model with an open sequence length at, when it wrote
   * one (the file keeps that length dynamic); null otherwise.
   */
  static ModelRunner atOpenLength(Path debugDirectory, String model, String prefix) {
    Path graph = debugDirectory.resolve(model + ".frozen.open-length.pb"); // DebugArtifacts.openLengthReference
    return Files.isRegularFile(graph) ? open(debugDirectory, model, graph, prefix) : null;
  }

  private static ModelRunner open(Path debugDirectory, String model, Path frozenGraph, String prefix) {
    Path map = debugDirectory.resolve(model + ".layers.json");
    try {
      JsonNode json = new JsonMapper().readTree(map.toFile());
      Map<String, String> inputs = new LinkedHashMap<>();
      json.get("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
      Map<String, String> outputs = new LinkedHashMap<>();
      json.get("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
      TensorFlowRunner graph = TensorFlowRunner.frozen(frozenGraph, inputs, new ArrayList<>(outputs.values()));
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
