package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.convert.importer.keras.KerasImporter;
import dev.tflite.testmodels.KerasLayerZoo;
import dev.tflite.testmodels.KerasZoo;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every layer class the Keras importer registers appears in a zoo file (KerasZooTest) or a named test. */
class KerasLayerCoverageTest {
  /** Classes tested elsewhere than the zoo, with the test. */
  private static final Map<String, String> NAMED_TESTS = Map.of(
      // its weights sit in forward and backward sublayer groups, which the Java file builder does not write
      "Bidirectional", "KerasRealRecurrentTest (real Keras files: every merge mode, LSTM, GRU and SimpleRNN, .keras and .h5)",
      // Keras 2 layers that Keras 3 cannot write: built in tf.keras' layout by the test-model builder
      "TFOpLambda", "KerasTfOpLambdaTest (Keras 2 recorded tf.* calls against Keras computing the same functions)",
      "SlicingOpLambda", "KerasTfOpLambdaTest (slices with steps, Ellipsis and newaxis)");

  @TempDir
  Path dir;

  @Test
  void everyRegisteredLayerClassHasAZooRow() throws Exception {
    Set<String> used = new TreeSet<>();
    for (KerasZoo.Entry entry : Stream.concat(KerasZoo.MODELS.stream(), KerasLayerZoo.entries().stream()).toList()) {
      Path file = entry.writer().apply(dir.resolve(entry.name() + ".keras"));
      try (ZipFile zip = new ZipFile(file.toFile())) {
        collect(new JsonMapper().readTree(zip.getInputStream(zip.getEntry("config.json"))), used);
      }
    }
    // real Keras 3.15 files (KerasRealAttentionTest and the other KerasReal* tests hold them to Keras' predictions)
    try (var files = java.nio.file.Files.walk(Tflite.fixture("generated"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".keras")).toList()) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
          collect(new JsonMapper().readTree(zip.getInputStream(zip.getEntry("config.json"))), used);
        }
      }
    }
    used.addAll(NAMED_TESTS.keySet());
    Set<String> missing = new TreeSet<>(KerasImporter.supportedLayerClasses());
    missing.removeAll(used);
    assertEquals(Set.of(), missing, "registered Keras layer classes without a zoo row or a named test");
  }

  private static void collect(JsonNode node, Set<String> classes) {
    if (node.isObject() && node.has("class_name") && node.has("config") && node.path("config").isObject()) {
      // a Keras 3 op node (a keras.ops call in a functional model) is registered as keras.ops.<class>
      classes.add((node.path("module").asText().startsWith("keras.src.ops.") ? "keras.ops." : "") + node.get("class_name").asText());
    }
    node.forEach(child -> collect(child, classes));
  }
}
