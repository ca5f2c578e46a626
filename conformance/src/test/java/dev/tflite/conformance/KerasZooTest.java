package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.KerasLayerZoo;
import dev.tflite.testmodels.KerasZoo;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model zoo and the layer catalogue, each a real Keras 3 file: converted in {@code none} (within {@link FloatBound} of
 * TensorFlow running the Keras layers' ops, at batch 1 and 4) and {@code dynamic-range} (at batch 1 and 4, with the mode's
 * default tolerance, relative to each output's own scale: what a user gets without a {@code <tolerance>}). No file keeps
 * the SpaceToBatchND wrapping of a dilated convolution.
 */
class KerasZooTest {
  @TempDir
  static Path dir;

  static Stream<KerasZoo.Entry> zoo() {
    return Stream.concat(KerasZoo.MODELS.stream(), KerasLayerZoo.entries().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zoo")
  void convertsAndValidates(KerasZoo.Entry entry) {
    Path keras = entry.writer().apply(dir.resolve(entry.name() + ".keras"));
    Path work = dir.resolve("work");
    for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE)) {
      String name = entry.name() + "-" + mode.configName();
      Path tflite = dir.resolve(name + ".tflite");
      long start = System.nanoTime();
      ConversionResult r = new TfliteConverter().convert(ConversionRequest.of(name, keras, mode, tflite), work);
      double seconds = (System.nanoTime() - start) / 1e9;
      boolean exact = mode == QuantizationMode.NONE; // float: FloatBound (scaled with the output and the accumulation length)
      Tolerance tolerance = Tolerance.defaultFor(mode.configName());
      ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, keras, entry.name() + ".keras", List.of("serve"), tflite,
          mode.configName(), 16, 9, entry.min(), entry.max(), exact ? Tflite.unbounded() : tolerance),
          new ValidationOptions(work, Map.of(), null, null, List.of(1, 4)));
      System.out.printf(java.util.Locale.ROOT, "zoo %-26s %-14s %9d bytes  max abs %.3g  converted in %.2f s  ops %s%n", entry.name(), mode.configName(),
          r.sizeBytes(), report.worstMaxAbsError(), seconds, r.opCounts());
      // Keras runs a dilated convolution through SpaceToBatchND; the file holds one dilated convolution instead (official census)
      assertTrue(!r.opCounts().containsKey("SPACE_TO_BATCH_ND") && !r.opCounts().containsKey("BATCH_TO_SPACE_ND"), name + ": " + r.opCounts());
      if (exact) {
        FloatBound.assertMatches(report, tflite, name);
      } else {
        assertTrue(report.passed(), name + " fails the default tolerance " + tolerance.summary() + ": "
            + report.outputs().stream().flatMap(o -> o.violations().stream()).toList());
      }
    }
  }
}
