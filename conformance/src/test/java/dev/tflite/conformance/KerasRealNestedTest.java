package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLiteRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written by real Keras 3.15 (fixtures/generated/keras-nested, script and provenance there), each as .keras
 * and as legacy .h5: converted, run in TensorFlow Lite, and held to Keras' own predictions saved beside them. This
 * proves the layouts the importer reads (nested model configs, weight paths of nested models in both files) and that
 * the lowerings compute what Keras computes, not only what the importer's own TensorFlow graph computes.
 */
class KerasRealNestedTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}.{1}")
  @CsvSource({
      "transfer_sequential, keras", "transfer_sequential, h5",
      "exported_classifier, keras", "exported_classifier, h5",
      "shared_tower, keras", "shared_tower, h5",
      "float_token_ids, keras", "float_token_ids, h5",
      "mixed_float16, keras", "mixed_float16, h5"})
  void matchesKerasOwnPredictions(String name, String extension) {
    check("generated/keras-nested/", name, extension);
  }

  /** One real Keras file per layer setting (fixtures/generated/keras-layers): the lowerings compute what Keras computes. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("layerFixtures")
  void layerMatchesKerasOwnPredictions(String name) {
    check("generated/keras-layers/", name, "keras");
  }

  static java.util.stream.Stream<String> layerFixtures() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(Tflite.fixture("generated/keras-layers"))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".keras")).map(f -> f.substring(0, f.length() - 6)).sorted()
          .toList().stream();
    }
  }

  private void check(String folder, String name, String extension) {
    Path model = Tflite.fixture(folder + name + "." + extension);
    Path tflite = dir.resolve(name + "-" + extension + ".tflite");
    Tflite.convert(model, QuantizationMode.NONE, tflite);
    NpyReader.NpyArray expected = NpyReader.read(Tflite.fixture(folder + name + ".keras_outputs.npy"));
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      assertEquals(1, runner.outputs().length);
      Map<String, String> inputFiles = new LinkedHashMap<>();
      if (name.equals("shared_tower")) {
        inputFiles.put("left", name + ".left.npy");
        inputFiles.put("right", name + ".right.npy");
      } else {
        inputFiles.put(runner.inputs()[0].name(), name + ".inputs.npy");
      }
      NamedTensors inputs = new NamedTensors();
      inputFiles.forEach((input, file) -> {
        NpyReader.NpyArray a = NpyReader.read(Tflite.fixture(folder + file));
        inputs.put(input, new NamedTensors.FloatTensor(a.shape(), a.values()));
      });
      NamedTensors.FloatTensor actual = runner.run(inputs).get(runner.outputs()[0].name());
      assertArrayEquals(expected.shape(), actual.shape());
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < expected.values().length; i++) {
        worst = Math.max(worst, Math.abs(expected.values()[i] - actual.values()[i]));
        scale = Math.max(scale, Math.abs(expected.values()[i]));
      }
      // float32 both sides; only summation order differs (Keras on oneDNN, TensorFlow Lite on XNNPACK): FloatBound
      double tolerance = FloatBound.of(scale, FloatBound.longestAccumulation(tflite));
      System.out.printf(java.util.Locale.ROOT, "real keras %-20s %-5s max abs vs Keras %.3g (tolerance %.3g)%n", name, extension, worst, tolerance);
      assertTrue(worst <= tolerance, name + "." + extension + ": max abs " + worst + " vs Keras > " + tolerance);
    }
  }
}
