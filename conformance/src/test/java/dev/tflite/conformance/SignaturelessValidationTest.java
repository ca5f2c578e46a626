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
  @TempDir
  Path dir;

  private static ValidationReport validate(String model, Path source, Path tflite, Tolerance tolerance, double min, double max, Path work) {
    return new ModelValidator().validate(new ValidationRequest(model, source, source.getFileName().toString(), List.of("serve"), tflite, "none", 32,
        5, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null));
  }

  private static void print(String what, ValidationReport r) {
    for (OutputDrift o : r.outputs()) { // the figures quoted in the report of this work; the assertions below hold them
      System.out.printf(java.util.Locale.ROOT, "drift %s: output %s (%s → %s) max %.3g mean %.3g rmse %.3g cosine %.6f top-1 %s; in %s: max %s%n", what,
          o.name(), o.matchedBy(), o.original(), o.maxAbsError(), o.meanAbsError(), o.rmse(), o.cosineSimilarity(), o.top1Agreement(),
          r.runtimes().oldest(), o.oldestRuntime() == null ? null : o.oldestRuntime().maxAbsError());
    }
  }

  private static OutputDrift only(ValidationReport r) {
    assertEquals(1, r.outputs().size());
    return r.outputs().get(0);
  }

  private static void assertMatched(ValidationReport r, String inputBy, String inputOriginal, String outputBy, String outputOriginal) {
    assertEquals(1, r.inputs().size());
    assertEquals(inputBy, r.inputs().get(0).matchedBy(), "input " + r.inputs().get(0).name());
    assertEquals(inputOriginal, r.inputs().get(0).original());
    assertEquals(outputBy, only(r).matchedBy(), "output " + only(r).name());
    assertEquals(outputOriginal, only(r).original());
  }

  @Test
  void officialTocoUint8FileMatchesItsQuantizationAwareFrozenGraphByName() {
    Path frozen = Tflite.fixture("tf1-frozen-qat/frozen_model.pb");
    Path toco = Tflite.fixture("tf1-frozen-qat/official_toco_uint8.tflite");
    // the graph's FakeQuant nodes model the file's uint8 arithmetic, so the two agree within a few output steps (1/256):
    // half an input step of rounding, then each layer's requantization; 5.1 steps measured, 8 allowed, on top of the
    // default for integer modes (SNR at least 20 dB, inputs that move the output)
    Tolerance integer = Tolerance.defaultFor("int8");
    Tolerance fewSteps = new Tolerance(null, null, null, null, null, null, integer.minSnrDb(), null, 8.0, integer.minReferenceSpread());
    ValidationReport r = validate("qat", frozen, toco, fewSteps, 0, 1, null);
    print("official_toco_uint8 vs frozen_model.pb", r);
    assertNull(r.signature(), "the TOCO file has no SignatureDef");
    assertMatched(r, "name", "flatten_input", "name", "dense_1/Softmax");
    assertEquals("uint8", r.inputs().get(0).type());
    assertEquals(1.0 / 256, only(r).quantizationStep(), 1e-9, "outputs are dequantized with the file's own scale");
    assertTrue(r.passed(), "drift " + r.worstMaxAbsError() + " " + only(r).violations());
    assertTrue(only(r).maxAbsError() > 0, "integer arithmetic cannot be exact against the float graph");
    assertTrue(only(r).oldestRuntime() != null, "the file ran in TensorFlow Lite 2.6.2 too");
    assertTrue(JsonReport.toJson(r).contains("\"matchedBy\" : \"name\""));
    assertTrue(ConsoleTable.lines(r).contains("inputs matched by name: 'flatten_input' → 'flatten_input'"), ConsoleTable.lines(r).toString());
  }

  @Test
  void officialVwwFilesValidateAgainstTheKeras2H5() {
    Path h5 = Tflite.fixture("keras2-mobilenet-v1-bn/vww_96.h5");
    Path officialFloat = Tflite.fixture("keras2-mobilenet-v1-bn/official_float32.tflite");
    Path officialInt8 = Tflite.fixture("keras2-mobilenet-v1-bn/official_int8.tflite");
    Path work = dir.resolve("work"); // the TensorFlow graph the .h5's layers lower to, as the CLI writes it for a file made elsewhere
    new TfliteConverter().writeReference(ConversionRequest.of("vww", h5, QuantizationMode.NONE, dir.resolve("vww.tflite")), work);

    // float: 1e-5 * max(1, max|ref|) on a softmax (max|ref| <= 1): float32 rounding through 15 conv layers
    ValidationReport asFloat = validate("vww", h5, officialFloat, new Tolerance(1e-5, null, null, null), 0, 1, work);
    print("official_float32 vs vww_96.h5", asFloat);
    assertMatched(asFloat, "name", "input_1", "position", "dense");
    assertTrue(asFloat.passed(), "drift " + asFloat.worstMaxAbsError());
    assertTrue(asFloat.diagnostics().stream().anyMatch(d -> d.contains("outputs matched by position") && d.contains("'Identity' → 'dense'")),
        asFloat.diagnostics().toString());
    assertTrue(asFloat.layers().isEmpty(), "our conversion's per-layer artifacts do not describe the official file");
    assertTrue(HtmlReport.render(asFloat).contains("none (the .tflite has no SignatureDef)"));

    // int8 (input and output), calibrated by its authors on real images: held to the default for integer modes
    Tolerance quantized = Tolerance.defaultFor("int8");
    ValidationReport asInt8 = validate("vww", h5, officialInt8, quantized, 0, 1, work);
    print("official_int8 vs vww_96.h5", asInt8);
    assertMatched(asInt8, "name", "input_1", "position", "dense");
    assertEquals("int8", asInt8.inputs().get(0).type());
    assertTrue(asInt8.passed(), "drift " + asInt8.worstMaxAbsError() + " " + only(asInt8).violations());
    assertTrue(only(asInt8).maxAbsError() > only(asFloat).maxAbsError() * 10, "int8 must drift more than float");

    // the same int8 file against the official float file (its own converter's float output) must give the same
    // drift, to within the float file's own distance from the .h5: the pairing and the dequantization are right
    ValidationReport int8VsFloat = validate("vww-f", officialFloat, officialInt8, quantized, 0, 1, null);
    print("official_int8 vs official_float32", int8VsFloat);
    assertMatched(int8VsFloat, "name", "input_1", "name", "Identity");
    assertEquals(only(asInt8).maxAbsError(), only(int8VsFloat).maxAbsError(), only(asFloat).maxAbsError() + 1e-7);
    assertEquals(only(asInt8).rmse(), only(int8VsFloat).rmse(), only(asFloat).maxAbsError() + 1e-7);
  }

  @Test
  void brokenOfficialInt8FileStillFails() {
    ValidationReport r = validate("keras3-int8", Tflite.fixture("keras3-cnn/official_float32.tflite"),
        Tflite.fixture("keras3-cnn/official_int8_broken.tflite"), Tolerance.defaultFor("int8"), 0.3, 0.5, null);
    print("official_int8_broken vs official_float32", r);
    assertMatched(r, "signature", "input", "signature", "output_0");
    assertFalse(r.passed(), "the broken file must fail");
    // right in TensorFlow Lite 2.18, a constant 0.125 in 2.6.2 (SNR 0.6 dB there): the oldest runtime catches it
    assertTrue(only(r).violations().stream().anyMatch(v -> v.metric().equals("oldestRuntime.snrDb")), only(r).violations().toString());
    assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("is the same for every input")), r.diagnostics().toString());
  }

  @Test
  void ourFileWithoutItsSignatureDefValidatesAgainstItsSavedModel() throws IOException {
    Path savedModel = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path ours = dir.resolve("mlp.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, ours);
    Path stripped = stripSignatures(ours, dir.resolve("mlp-nosig.tflite"));
    assertEquals(0, Tflite.read(stripped).getSignatureDefs().length);
    // float: 1e-5 * max(1, max|ref|) on a sigmoid output, float32 accumulation over 784 + 100 terms
    Tolerance float32 = new Tolerance(1e-5, null, null, null);
    ValidationReport withSignature = validate("mlp", savedModel, ours, float32, 0, 1, null);
    ValidationReport without = validate("mlp", savedModel, stripped, float32, 0, 1, null);
    print("ours (SignatureDef stripped) vs saved_model", without);
    assertMatched(withSignature, "signature", "dense_input", "signature", "dense_1");
    assertMatched(without, "name", "dense_input", "position", "dense_1");
    assertTrue(without.passed(), "drift " + without.worstMaxAbsError());
    assertEquals(only(withSignature).maxAbsError(), only(without).maxAbsError(), 0.0, "the same file: the same figures");
  }

  @Test
  void ourUint8FileWithoutItsSignatureDefGivesTheSameFiguresAsWithIt() throws IOException {
    Path h5 = Tflite.fixture("keras-h5-cnn/digit_classifier.h5");
    Path work = dir.resolve("work");
    Path ours = dir.resolve("digits.tflite");
    QuantizationOptions uint8Io = new QuantizationOptions(true, IoType.UINT8, IoType.UINT8, Set.of(), List.of(), false,
        new CalibrationSettings(null, 32, 3, 0, 1));
    new TfliteConverter().convert(ConversionRequest.of("digits", h5, QuantizationMode.INT8, ours).withQuantization(QuantizationMode.INT8, uint8Io), work);
    Tolerance quantized = Tolerance.defaultFor("int8");
    ValidationReport withSignature = validate("digits", h5, ours, quantized, 0, 1, work);
    ValidationReport without = validate("digits", h5, stripSignatures(ours, dir.resolve("digits-nosig.tflite")), quantized, 0, 1, work);
    print("ours uint8 I/O (SignatureDef stripped) vs digit_classifier.h5", without);
    assertMatched(without, "name", "conv2d_input", "position", "dense_1");
    assertEquals("uint8", without.inputs().get(0).type());
    assertTrue(without.passed(), "drift " + without.worstMaxAbsError());
    assertEquals(only(withSignature).maxAbsError(), only(without).maxAbsError(), 0.0, "the same file: the same figures");
    assertEquals(only(withSignature).oldestRuntime().maxAbsError(), only(without).oldestRuntime().maxAbsError(), 0.0);
    assertFalse(withSignature.layers().isEmpty(), "with its SignatureDef the file is our conversion: per-layer drift applies");
  }

  @Test
  void differentInputCountsAreAClearError() throws IOException {
    Path savedModel = Tflite.fixture("keras-savedmodel-mlp/saved_model");
    Path ours = dir.resolve("mlp.tflite");
    Tflite.convert(savedModel, QuantizationMode.NONE, ours);
    Path twoInputs = withExtraInput(stripSignatures(ours, dir.resolve("mlp-nosig.tflite")), dir.resolve("mlp-two-inputs.tflite"));
    ValidationException e = assertThrows(ValidationException.class, () -> validate("mlp", savedModel, twoInputs, Tolerance.defaultFor("none"), 0, 1, null));
    assertTrue(e.getMessage().contains("model 'mlp': cannot pair the .tflite's inputs and outputs (it has no SignatureDef) with the original model's")
        && e.getMessage().contains("the .tflite has 2 inputs ['serving_default_dense_input' float32[-1, 784], 'extra' float32[1, 3]]"
            + " and the original 1 input ['dense_input' float32[-1, 784]]")
        && e.getMessage().contains("give it a SignatureDef"), e.getMessage());
  }

  @Test
  void aPositionalPairingWhoseShapesDisagreeSaysWhich() {
    ValidationException e = assertThrows(ValidationException.class, () -> validate("wrong", Tflite.fixture("tf1-frozen-qat/frozen_model.pb"),
        Tflite.fixture("keras2-mobilenet-v1-bn/official_float32.tflite"), Tolerance.defaultFor("none"), 0, 1, null));
    assertTrue(e.getMessage().contains("input 'input_1' float32[-1, 96, 96, 3] of the .tflite, paired by position with the original's 'flatten_input'"
        + " float32[-1, 28, 28], does not fit it: rank 4 against 3"), e.getMessage());
  }

  /** A second, unused graph input: a file whose input count differs from the original's. */
  private static Path withExtraInput(Path tflite, Path out) throws IOException {
    ModelT model = Tflite.read(tflite);
    SubGraphT graph = model.getSubgraphs()[0];
    TensorT extra = new TensorT();
    extra.setName("extra");
    extra.setType(TensorType.FLOAT32);
    extra.setShape(new int[] {1, 3});
    TensorT[] tensors = Arrays.copyOf(graph.getTensors(), graph.getTensors().length + 1);
    tensors[tensors.length - 1] = extra;
    graph.setTensors(tensors);
    int[] inputs = Arrays.copyOf(graph.getInputs(), graph.getInputs().length + 1);
    inputs[inputs.length - 1] = tensors.length - 1;
    graph.setInputs(inputs);
    return write(model, out);
  }

  /** The same file without its SignatureDefs, rebuilt with the schema's object API. */
  static Path stripSignatures(Path tflite, Path out) throws IOException {
    ModelT model = Tflite.read(tflite);
    model.setSignatureDefs(new SignatureDefT[0]);
    return write(model, out);
  }

  private static Path write(ModelT model, Path out) throws IOException {
    for (SubGraphT graph : model.getSubgraphs()) {
      for (var op : graph.getOperators()) {
        if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
          op.setCustomOptions(null); // the object API reads an absent vector as empty; written back, TensorFlow Lite warns about it
        }
      }
    }
    Files.write(out, model.serializeToBinary());
    return out;
  }
}
