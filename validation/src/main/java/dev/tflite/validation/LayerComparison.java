package dev.tflite.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.compare.DriftAccumulator;
import dev.tflite.validation.compare.Metrics;
import dev.tflite.validation.report.LayerDrift;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer drift: runs the converter's debug copy (every layer output exposed) and the reference (the frozen
 * TensorFlow graph, or the float source's debug copy) on the same samples and compares each layer with the tensor it
 * came from. Flags the first layer where drift jumps.
 */
final class LayerComparison {
  /** A layer is flagged when its normalized error reaches this and at least doubles the worst before it. */
  static final double JUMP_FLOOR = 0.05;
  static final double JUMP_FACTOR = 2.0;
  private static final JsonMapper JSON = new JsonMapper();

  private LayerComparison() {}

  /** What the converter noted of the model in its layer map (none when the artifacts are missing or older). */
  static List<String> conversionNotes(Path debugDirectory, String model) throws IOException {
    Path map = debugDirectory == null ? null : debugDirectory.resolve(model + ".layers.json");
    if (map == null || !Files.isRegularFile(map)) {
      return List.of();
    }
    List<String> notes = new ArrayList<>();
    JSON.readTree(map.toFile()).path("notes").forEach(n -> notes.add(n.asText()));
    return notes;
  }

  /** The layers in execution order, or an empty list when the debug artifacts are missing. */
  static List<LayerDrift> compare(Path debugDirectory, String model, List<NamedTensors> samples) throws IOException {
    Path map = debugDirectory == null ? null : debugDirectory.resolve(model + ".layers.json");
    if (map == null || !Files.isRegularFile(map)) {
      return List.of();
    }
    JsonNode layerMap = JSON.readTree(map.toFile());
    List<JsonNode> layers = new ArrayList<>();
    layerMap.get("layers").forEach(layers::add);
    if (layers.isEmpty()) {
      return List.of(); // a reference written for a file the converter did not make: outputs only
    }
    List<String> sources = layers.stream().map(l -> l.get("source").asText()).toList();
    Map<String, String> inputs = new LinkedHashMap<>();
    layerMap.get("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));

    Map<String, DriftAccumulator> drift = new LinkedHashMap<>();
    Map<String, double[]> referenceSquares = new LinkedHashMap<>();
    sources.forEach(s -> {
      drift.put(s, new DriftAccumulator());
      referenceSquares.put(s, new double[2]);
    });
    try (TfLiteRunner candidate = new TfLiteRunner(debugDirectory.resolve(model + ".debug.tflite"));
        ModelRunner reference = "tensorflow".equals(layerMap.get("reference").asText())
            ? TensorFlowRunner.frozen(debugDirectory.resolve(model + ".frozen.pb"), inputs, sources)
            : new TfLiteRunner(debugDirectory.resolve(model + ".reference.debug.tflite"))) {
      for (NamedTensors sample : samples) {
        NamedTensors expected = reference.run(sample);
        NamedTensors actual = candidate.run(sample);
        for (String s : sources) {
          if (expected.get(s) != null && actual.get(s) != null) {
            float[] ref = expected.get(s).values();
            drift.get(s).add(ref, actual.get(s).values());
            double[] squares = referenceSquares.get(s);
            for (float v : ref) {
              squares[0] += (double) v * v;
            }
            squares[1] += ref.length;
          }
        }
      }
    }
    List<LayerDrift> result = new ArrayList<>();
    for (JsonNode layer : layers) {
      String s = layer.get("source").asText();
      Metrics m = drift.get(s).metrics();
      double[] squares = referenceSquares.get(s);
      double rms = squares[1] == 0 ? 0 : Math.sqrt(squares[0] / squares[1]);
      double normalized = m.rmse() == 0 ? 0 : rms == 0 ? Double.POSITIVE_INFINITY : m.rmse() / rms;
      Double overScale = layer.hasNonNull("scale") && layer.get("scale").asDouble() > 0 ? m.rmse() / layer.get("scale").asDouble() : null;
      result.add(new LayerDrift(layer.get("tensor").asText(), s, layer.get("op").asText(), layer.get("origin").asText(), layer.get("type").asText(),
          m.maxAbsError(), m.rmse(), normalized, overScale, false));
    }
    return flagFirstJump(result);
  }

  /** Marks the first layer whose normalized error reaches {@link #JUMP_FLOOR} and doubles the worst before it. */
  static List<LayerDrift> flagFirstJump(List<LayerDrift> layers) {
    double worstSoFar = 0;
    List<LayerDrift> out = new ArrayList<>(layers);
    for (int i = 0; i < out.size(); i++) {
      double e = out.get(i).normalizedError();
      if (e >= JUMP_FLOOR && e >= JUMP_FACTOR * worstSoFar) {
        out.set(i, out.get(i).withFlag(true));
        break;
      }
      worstSoFar = Math.max(worstSoFar, e);
    }
    return out;
  }
}
