package dev.tflite.conformance;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;

/** Test helpers: convert, validate against TensorFlow, and look inside a written .tflite. */
final class Tflite {
  private static final TfliteConverter CONVERTER = new TfliteConverter();

  private Tflite() {}

  static ConversionResult convert(Path source, QuantizationMode mode, Path output) {
    return CONVERTER.convert(ConversionRequest.of(output.getFileName().toString().replace(".tflite", ""), source, mode, output));
  }

  static ConversionResult convert(ConversionRequest request) {
    return CONVERTER.convert(request);
  }

  /** {@code request} in {@code mode}, a full-integer one calibrated on 32 seeded random samples uniform in [min, max]. */
  static ConversionRequest calibratedOn(ConversionRequest request, QuantizationMode mode, double min, double max) {
    return request.withQuantization(mode, dev.tflite.convert.quantize.QuantizationOptions.defaults()
        .withCalibration(new dev.tflite.convert.quantize.calibrate.CalibrationSettings(null, 32, 3, min, max)));
  }

  static ValidationReport validate(Path source, Path tflite, Tolerance tolerance, double min, double max) {
    return new ModelValidator().validate(new ValidationRequest("test", source, source.getFileName().toString(), List.of("serve"), tflite,
        "test", 16, 7, min, max, tolerance));
  }

  /** Converts as model {@code name} keeping the converter's work files in {@code work} (the frozen graph, the float file). */
  static ConversionResult convert(Path source, QuantizationMode mode, Path output, Path work) {
    return CONVERTER.convert(ConversionRequest.of(modelName(output), source, mode, output), work);
  }

  /**
   * Validates with the converter's work files of the model (see {@link #convert(Path, QuantizationMode, Path, Path)});
   * a file whose batch is dynamic (shape signature -1) runs at batch 1 and at batch 4.
   */
  static ValidationReport validate(Path source, Path tflite, Tolerance tolerance, double min, double max, Path work) {
    List<Integer> batches = inputShapeSignature(tflite).length > 0 && inputShapeSignature(tflite)[0] < 0 ? List.of(1, 4) : List.of(1);
    return validate(source, tflite, tolerance, min, max, work, batches);
  }

  /**
   * At batch 1 only: for a file calibrated on exactly the samples validation feeds at batch 1, where batch 4's other
   * samples would leave the calibrated ranges and measure saturation instead of the kernels' rounding.
   */
  static ValidationReport validateAsCalibrated(Path source, Path tflite, Tolerance tolerance, double min, double max, Path work) {
    return validate(source, tflite, tolerance, min, max, work, List.of(1));
  }

  private static ValidationReport validate(Path source, Path tflite, Tolerance tolerance, double min, double max, Path work, List<Integer> batches) {
    return new ModelValidator().validate(new ValidationRequest(modelName(tflite), source, source.getFileName().toString(), List.of("serve"), tflite,
        "test", 16, 7, min, max, tolerance), new dev.tflite.validation.ValidationOptions(work, Map.of(), null, null, batches));
  }

  /** The first input's shape signature (-1 for a dynamic dimension), or its shape when the file writes none. */
  static int[] inputShapeSignature(Path tflite) {
    ModelT m = read(tflite);
    var t = m.getSubgraphs()[0].getTensors()[m.getSubgraphs()[0].getInputs()[0]];
    return t.getShapeSignature() != null && t.getShapeSignature().length > 0 ? t.getShapeSignature() : t.getShape();
  }

  /** No limits: the test asserts on the report itself (e.g. with {@link FloatBound}). */
  static Tolerance unbounded() {
    return new Tolerance(null, null, null, null);
  }

  private static String modelName(Path tflite) {
    return tflite.getFileName().toString().replace(".tflite", "");
  }

  static ModelT read(Path tflite) {
    try {
      return ModelT.deserializeFromBinary(Files.readAllBytes(tflite));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TensorFlow Lite op name → count, as written in the file. */
  static Map<String, Integer> opCounts(Path tflite) {
    ModelT model = read(tflite);
    Map<String, Integer> counts = new TreeMap<>();
    SubGraphT graph = model.getSubgraphs()[0];
    for (OperatorT op : graph.getOperators()) {
      int code = model.getOperatorCodes()[(int) op.getOpcodeIndex()].getBuiltinCode();
      counts.merge(BuiltinOperator.name(code), 1, Integer::sum);
    }
    return counts;
  }

  /** Op name → the versions it is written with. */
  static Map<String, Integer> opVersions(Path tflite) {
    ModelT model = read(tflite);
    Map<String, Integer> versions = new TreeMap<>();
    for (var code : model.getOperatorCodes()) {
      versions.merge(BuiltinOperator.name(code.getBuiltinCode()), code.getVersion(), Math::max);
    }
    return versions;
  }

  static Path fixture(String relative) {
    String root = System.getProperty("tflite.fixtures", "../fixtures");
    Path path = Path.of(root).resolve(relative).normalize();
    if (!Files.exists(path)) {
      throw new IllegalStateException("fixture " + path + " is missing: the real-model fixtures are committed in the repository's fixtures/ folder (see its README)");
    }
    return path;
  }
}
