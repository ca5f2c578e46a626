package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.TfliteConverter;
import dev.tflite.convert.quantize.IoType;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationException;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ConsoleTable;
import dev.tflite.validation.report.HtmlReport;
import dev.tflite.validation.report.JsonReport;
import dev.tflite.validation.report.OutputDrift;
import dev.tflite.validation.report.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Files without a SignatureDef (the older converters wrote none; many users' files have none) validate against their
 * original: ports are paired by tensor name where the names agree, else by position, and the report says which.
 * Integer inputs and outputs are quantized and dequantized with the file's own parameters. Every figure runs in
 * TensorFlow Lite 2.18 (all samples) and 2.6.2 (the first), held to the same tolerance.
 */
class SignaturelessValidationTest {
  private static final Tolerance ANY = new Tolerance(null, null, null, null);

  @TempDir
  Path dir;

  private static ValidationReport validate(String model, Path source, Path tflite, Tolerance tolerance, double min, double max, Path work) {
    return new ModelValidator().validate(new ValidationRequest(model, source, source.getFileName().toString(), List.of("serve"), tflite, "none", 32,
        5, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null));
  }

  private static void print(String what, ValidationReport r) {
    for (OutputDrift o : r.outputs()) {
      System.out.printf("DRIFT %s: output %s (%s→%s) max %.3g mean %.3g rmse %.3g cos %.6f top1 %s oldest max %s passed %s%n", what, o.name(),
          o.matchedBy(), o.original(), o.maxAbsError(), o.meanAbsError(), o.rmse(), o.cosineSimilarity(), o.top1Agreement(),
          o.oldestRuntime() == null ? null : o.oldestRuntime().maxAbsError(), r.passed());
    }
    r.inputs().forEach(p -> System.out.printf("DRIFT %s: input %s (%s→%s)%n", what, p.name(), p.matchedBy(), p.original()));
    System.out.println("DRIFT " + what + " notes " + r.diagnostics());
  }

  @Test
  void officialTocoUint8AgainstItsFrozenGraph() {
    Path frozen = Tflite.fixture("tf1-frozen-qat/frozen_model.pb");
    ValidationReport r = validate("qat", frozen, Tflite.fixture("tf1-frozen-qat/official_toco_uint8.tflite"), ANY, 0, 1, null);
    print("toco-uint8 vs frozen", r);
  }

  @Test
  void officialVwwFilesAgainstTheKeras2H5() {
    Path h5 = Tflite.fixture("keras2-mobilenet-v1-bn/vww_96.h5");
    Path work = dir.resolve("work");
    new TfliteConverter().convert(ConversionRequest.of("vww", h5, QuantizationMode.NONE, dir.resolve("vww.tflite")), work);
    print("ours-float vs h5", validate("vww", h5, dir.resolve("vww.tflite"), ANY, 0, 1, work));
    print("official-float vs h5", validate("vww", h5, Tflite.fixture("keras2-mobilenet-v1-bn/official_float32.tflite"), ANY, 0, 1, work));
    print("official-int8 vs h5", validate("vww", h5, Tflite.fixture("keras2-mobilenet-v1-bn/official_int8.tflite"), ANY, 0, 1, work));
    print("official-int8 vs official-float", validate("vww", Tflite.fixture("keras2-mobilenet-v1-bn/official_float32.tflite"),
        Tflite.fixture("keras2-mobilenet-v1-bn/official_int8.tflite"), ANY, 0, 1, null));
  }

  @Test
  void brokenInt8AgainstKeras3Float() {
    print("broken vs keras3 float", validate("k3", Tflite.fixture("keras3-cnn/official_float32.tflite"),
        Tflite.fixture("keras3-cnn/official_int8_broken.tflite"), ANY, 0.3, 0.5, null));
  }

  @Test
  void oursStripped() throws IOException {
    Path savedModel = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path ours = dir.resolve("mlp.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, ours);
    Path stripped = stripSignatures(ours, dir.resolve("mlp-nosig.tflite"));
    print("ours-stripped vs savedmodel", validate("mlp", savedModel, stripped, ANY, 0, 1, null));

    Path h5 = Tflite.fixture("keras-h5-cnn/digit_classifier.h5");
    Path work = dir.resolve("work");
    Path u8 = dir.resolve("digits.tflite");
    QuantizationOptions options = new QuantizationOptions(true, IoType.UINT8, IoType.UINT8, Set.of(), List.of(), false, new CalibrationSettings(null, 32, 3, 0, 1));
    new TfliteConverter().convert(ConversionRequest.of("digits", h5, QuantizationMode.INT8, u8).withQuantization(QuantizationMode.INT8, options), work);
    print("ours-u8 vs h5", validate("digits", h5, u8, ANY, 0, 1, work));
    print("ours-u8-stripped vs h5", validate("digits", h5, stripSignatures(u8, dir.resolve("digits-nosig.tflite")), ANY, 0, 1, work));
  }

  /** The same file without its SignatureDefs, rebuilt with the schema's object API. */
  static Path stripSignatures(Path tflite, Path out) throws IOException {
    ModelT model = Tflite.read(tflite);
    model.setSignatureDefs(new SignatureDefT[0]);
    Files.write(out, model.serializeToBinary());
    return out;
  }
}
