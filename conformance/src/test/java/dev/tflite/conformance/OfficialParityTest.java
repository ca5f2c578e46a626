package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.Keras2Zoo;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our files against the official converter's: the same graph (op census), no bigger file, the same numbers. The real
 * Keras 2 MobileNetV1 fixture must match its official float file op for op; the other official pairs must have no op
 * the official file lacks and be no larger; the Keras 2 zoo (Conv with bias + BatchNorm + ReLU, the Keras 2 default)
 * must have the census the official converter writes for it.
 */
class OfficialParityTest {
  @TempDir
  static Path dir;

  private static Path convert(Path source, QuantizationMode mode, String name) {
    Path out = dir.resolve(name + ".tflite");
    new TfliteConverter().convert(ConversionRequest.of(name, source, mode, out), dir.resolve("work"));
    return out;
  }

  /**
   * {@code name} is the conversion's: validating a Keras file reads the TensorFlow graph that conversion built from it.
   * Against TensorFlow, callers pass an unbounded tolerance and judge with {@link FloatBound}.
   */
  private static ValidationReport compare(String name, Path reference, Path candidate, String mode, double tolerance, double min, double max) {
    return new ModelValidator().validate(new ValidationRequest(name, reference, reference.getFileName().toString(), List.of("serve"), candidate,
        mode, 16, 11, min, max, new Tolerance(tolerance, null, null, null)), new ValidationOptions(dir.resolve("work"), Map.of(), null, null));
  }

  @Test
  void theKeras2MobileNetMatchesTheOfficialFloatFileOpForOp() throws IOException {
    Path h5 = Tflite.fixture("keras2-mobilenet-v1-bn/vww_96.h5");
    Path official = Tflite.fixture("keras2-mobilenet-v1-bn/official_float32.tflite");
    Path ours = convert(h5, QuantizationMode.NONE, "vww");
    assertEquals(Tflite.opCounts(official), Tflite.opCounts(ours), "every BatchNorm folded into the conv with its bias, every ReLU fused");
    assertEquals(31, Tflite.opCounts(ours).values().stream().mapToInt(Integer::intValue).sum());
    double ratio = (double) Files.size(ours) / Files.size(official);
    assertTrue(ratio <= 1.00, "ours " + Files.size(ours) + " bytes, official " + Files.size(official) + " (" + ratio + "x)");
    // both files are float32 evaluations of the same folded graph, differing in summation order only (1.2e-7 measured);
    // the outputs are probabilities (at most 1), so 1e-6 is the scaled bound
    ValidationReport vsOfficial = compare("vww", official, ours, "none", 1e-6, 0, 1);
    assertTrue(vsOfficial.passed(), "vs the official float file: " + vsOfficial.worstMaxAbsError());
    FloatBound.assertMatches(compare("vww", h5, ours, "none", 1e9, 0, 1), ours, "vs TensorFlow running the Keras layers");
  }

  record Pair(String source, String official, QuantizationMode mode, double maxSizeRatio, double min, double max) {
    @Override
    public String toString() {
      return official + " (" + mode.configName() + ")";
    }
  }

  static Stream<Pair> officialPairs() {
    return Stream.of(
        new Pair("keras-h5-cnn/digit_classifier.h5", "keras-h5-cnn/official_float32.tflite", QuantizationMode.NONE, 1.00, 0, 1),
        new Pair("keras3-cnn/best_model.keras", "keras3-cnn/official_float32.tflite", QuantizationMode.NONE, 1.00, 0.3, 0.5),
        new Pair("keras3-cnn/best_model.keras", "keras3-cnn/official_float16.tflite", QuantizationMode.FLOAT16, 1.01, 0.3, 0.5),
        new Pair("keras-savedmodel-mlp/saved_model", "keras-savedmodel-mlp/official_float32.tflite", QuantizationMode.NONE, 1.00, 0, 1),
        new Pair("keras-savedmodel-mlp/saved_model", "keras-savedmodel-mlp/official_dynamic_range.tflite", QuantizationMode.DYNAMIC_RANGE, 1.01, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("officialPairs")
  void noOpTheOfficialFileLacksAndNoBiggerFile(Pair pair) throws IOException {
    Path official = Tflite.fixture(pair.official());
    Path ours = convert(Tflite.fixture(pair.source()), pair.mode(), Path.of(pair.source()).getName(0) + "-" + pair.mode().configName());
    Map<String, Integer> oursOps = Tflite.opCounts(ours);
    Map<String, Integer> officialOps = Tflite.opCounts(official);
    TreeSet<String> types = new TreeSet<>(oursOps.keySet());
    types.addAll(officialOps.keySet());
    for (String type : types) {
      assertTrue(oursOps.getOrDefault(type, 0) <= officialOps.getOrDefault(type, 0), type + ": ours " + oursOps + ", official " + officialOps);
    }
    double ratio = (double) Files.size(ours) / Files.size(official);
    assertTrue(ratio <= pair.maxSizeRatio(), "ours " + Files.size(ours) + " bytes, official " + Files.size(official) + " (" + ratio + "x)");
  }

  static Stream<Keras2Zoo.Entry> keras2Zoo() {
    return Keras2Zoo.MODELS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keras2Zoo")
  void keras2ConvBiasBatchNormModelsHaveTheOfficialCensus(Keras2Zoo.Entry entry) {
    Path h5 = entry.writer().apply(dir.resolve(entry.name() + ".h5"));
    Path ours = convert(h5, QuantizationMode.NONE, entry.name());
    assertEquals(entry.officialOps(), Tflite.opCounts(ours));
    ValidationReport report = compare(entry.name(), h5, ours, "none", 1e9, entry.min(), entry.max());
    FloatBound.assertMatches(report, ours, entry.name() + " vs TensorFlow");
    assertTrue(report.runtimes().reference().contains("Keras layers lowered to TensorFlow ops"), report.runtimes().reference());
  }
}
