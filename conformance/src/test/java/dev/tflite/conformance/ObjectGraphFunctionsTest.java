package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TensorFlowRunner;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.ModelT;

/**
 * SavedModels whose functions live only in the object graph ({@code tf.Module} with {@code @tf.function} methods saved
 * without {@code signatures=}; {@code fixtures/generated/savedmodel-functions}, written by TensorFlow 2.21): each
 * function is chosen by its object path, converted, and validated against TensorFlow calling the same concrete function
 * with the checkpoint's variables. That reference is itself checked against the outputs Python TensorFlow recorded.
 */
class ObjectGraphFunctionsTest {
  @TempDir
  Path dir;

  private static Path model(String name) {
    return Tflite.fixture("generated/savedmodel-functions/" + name);
  }

  static Stream<Arguments> functions() {
    return Stream.of(
        Arguments.of("two_heads", "predict", List.of("output_0")),
        Arguments.of("two_heads", "score", List.of("score")),
        Arguments.of("two_heads", "combine", List.of("output_0", "output_1")),
        Arguments.of("with_encoder", "encoder.call", List.of("output_0")),
        Arguments.of("with_encoder", "classify", List.of("output_0")), // also its serving_default: the object path is the same function
        Arguments.of("only_one", null, List.of("output_0"))); // an empty signature map and one function: no choice needed
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("functions")
  void convertsTheChosenFunctionAndValidatesAgainstTensorFlowRunningIt(String name, String function, List<String> outputs) {
    Path source = model(name);
    Path tflite = dir.resolve(name + ".tflite");
    Tflite.convert(new ConversionRequest(name, source, function, List.of("serve"), QuantizationMode.NONE, QuantizationOptions.defaults(), Map.of(), tflite));

    ModelT written = Tflite.read(tflite);
    String key = function == null ? "serve" : function;
    assertEquals(key, written.getSignatureDefs()[0].getSignatureKey(), "the file's SignatureDef names the function it holds");
    assertEquals(outputs, Stream.of(written.getSignatureDefs()[0].getOutputs()).map(t -> t.getName()).toList());

    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, source, name, List.of("serve"), tflite, "none", 16, 3, -1, 1,
        Tflite.unbounded()), ValidationOptions.defaults());
    FloatBound.assertMatches(report, tflite, name + " " + key);
    assertEquals(outputs.size(), report.outputs().size());
  }

  /** The reference validation runs is the function Python ran: same inputs, outputs within float32 kernel differences. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("functions")
  void theReferenceCallsTheSameFunctionPythonSaved(String name, String function, List<String> outputs) {
    String key = function == null ? "serve" : function;
    Path folder = model(name).getParent();
    try (TensorFlowRunner reference = TensorFlowRunner.open(model(name), function, List.of("serve"))) {
      NamedTensors in = new NamedTensors();
      List<String> inputNames = reference.inputSpecs().stream().map(s -> s.name()).toList();
      for (int i = 0; i < inputNames.size(); i++) {
        NpyReader.NpyArray a = NpyReader.read(folder.resolve(name + "." + key + ".input" + i + ".npy"));
        in.put(inputNames.get(i), new NamedTensors.FloatTensor(a.shape(), a.values()));
      }
      NamedTensors out = reference.run(in);
      assertEquals(outputs, List.copyOf(out.asMap().keySet()));
      for (int i = 0; i < outputs.size(); i++) {
        NpyReader.NpyArray expected = NpyReader.read(folder.resolve(name + "." + key + ".output" + i + ".npy"));
        NamedTensors.FloatTensor actual = out.get(outputs.get(i));
        assertArrayEquals(expected.shape(), actual.shape(), outputs.get(i));
        // the same kernels on the same machine class: exact up to a few float32 roundings of these short (<= 72-term) sums
        double limit = 64 * Math.ulp(1f) * Math.max(1, maxAbs(expected.values()));
        for (int j = 0; j < expected.values().length; j++) {
          assertEquals(expected.values()[j], actual.values()[j], limit, outputs.get(i) + "[" + j + "]");
        }
      }
    }
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Test
  void severalFunctionsAndNoChoiceFailListingEachAndHowToChoose() {
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(model("two_heads"), QuantizationMode.NONE, dir.resolve("m.tflite")));
    String m = e.getMessage();
    assertTrue(m.contains("defines no signatures and 3 functions"), m);
    for (String expected : List.of("combine(a: float32[1,6], b: float32[1,4]) -> output_0, output_1", "predict(x: float32[-1,6]) -> output_0",
        "score(x: float32[-1,6]) -> score", "<signature>", "--signature")) {
      assertTrue(m.contains(expected), expected + " in: " + m);
    }
  }

  @Test
  void anUnknownNameListsTheSignaturesAndFunctions() {
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(new ConversionRequest("m", model("with_encoder"), "decoder.call",
        List.of("serve"), QuantizationMode.NONE, QuantizationOptions.defaults(), Map.of(), dir.resolve("m.tflite"))));
    String m = e.getMessage();
    assertTrue(m.contains("no signature 'decoder.call' nor a function of that name") && m.contains("[serving_default]") && m.contains("classify(image: float32[1,8,8,2])")
        && m.contains("encoder.call(image: float32[1,8,8,2])"), m);
  }

  @Test
  void aSignatureKeyStillWinsOverAFunctionOfTheSameModel() {
    Path tflite = dir.resolve("sig.tflite");
    Tflite.convert(model("with_encoder"), QuantizationMode.NONE, tflite);
    assertEquals("serving_default", Tflite.read(tflite).getSignatureDefs()[0].getSignatureKey());
    FloatBound.assertMatches(Tflite.validate(model("with_encoder"), tflite, Tflite.unbounded(), 0, 1), tflite, "serving_default");
  }

  /**
   * TensorFlow 2.4's exporter (the tfjava fixture): five signatures, none of them serving_default, and a sixth
   * function, {@code serve} (request + a captured constant, 0 in this file), only in the object graph.
   */
  @Test
  void aFunctionOutsideTheSignatureMapWithACapturedConstant() {
    Path source = Tflite.fixture("tfjava-savedmodels/saved_model_using_python");
    Path tflite = dir.resolve("serve.tflite");
    // its input has an unknown rank: the shape is configured, as for any such signature
    Tflite.convert(new ConversionRequest("serve", source, "serve", List.of("serve"), QuantizationMode.NONE, QuantizationOptions.defaults(),
        Map.of("request", new long[] {2, 3}), tflite));
    assertEquals("serve", Tflite.read(tflite).getSignatureDefs()[0].getSignatureKey());
    ValidationReport report = new ModelValidator().validate(new ValidationRequest("serve", source, "python", List.of("serve"), tflite, "none", 8, 3, -1, 1,
        Tflite.unbounded()), ValidationOptions.defaults());
    FloatBound.assertMatches(report, tflite, "serve");
    // the function takes the captured constant as its second argument: the call graph passes the SavedModel's Const
    assertEquals(List.of("request"), report.inputs().stream().map(i -> i.name()).toList());
  }

  @Test
  void quantizedConversionOfAFunctionValidates() {
    Path tflite = dir.resolve("dr.tflite");
    Tflite.convert(new ConversionRequest("dr", model("with_encoder"), "encoder.call", List.of("serve"), QuantizationMode.DYNAMIC_RANGE,
        QuantizationOptions.defaults(), Map.of(), tflite));
    ValidationReport report = new ModelValidator().validate(new ValidationRequest("dr", model("with_encoder"), "with_encoder", List.of("serve"), tflite,
        "dynamic-range", 16, 3, 0, 1, Tflite.unbounded()), ValidationOptions.defaults());
    // int8 weights: the mode's own default bar (SNR >= 20 dB), as the plugin applies it
    assertTrue(report.outputs().get(0).snrDb() >= 20, "SNR " + report.outputs().get(0).snrDb());
  }
}
