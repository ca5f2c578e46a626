package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A layer's variables in the order Keras creates them (the order a Keras 3 weights file stores them in). */
final class Variables {
  private Variables() {}

  static Function<JsonNode, List<String>> none() {
    return c -> List.of();
  }

  static Function<JsonNode, List<String>> of(String... names) {
    return c -> List.of(names);
  }

  /** Weighted layers: their kernels, then {@code bias} when {@code use_bias} (default true). */
  static Function<JsonNode, List<String>> withBias(String... kernels) {
    return c -> {
      List<String> names = new ArrayList<>(List.of(kernels));
      if (c.path("use_bias").asBoolean(true)) {
        names.add("bias");
      }
      return names;
    };
  }

  /** Normalization layers: {@code gamma} when {@code scale}, {@code beta} when {@code center}, then {@code extra}. */
  static Function<JsonNode, List<String>> scaleCenter(String... extra) {
    return c -> {
      List<String> names = new ArrayList<>();
      if (c.path("scale").asBoolean(true)) {
        names.add("gamma");
      }
      if (c.path("center").asBoolean(true)) {
        names.add("beta");
      }
      names.addAll(List.of(extra));
      return names;
    };
  }
}
