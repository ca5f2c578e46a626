package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.validation.ModelValidator;
import dev.tflite.validation.ValidationOptions;
import dev.tflite.validation.ValidationRequest;
import dev.tflite.validation.compare.Tolerance;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Keras recurrent models (fixtures/generated/keras-recurrent) in every mode the unrolled form allows:
 * {@code none}, {@code dynamic-range}, {@code float16}, {@code weight-only-int8} and full {@code int8} (LSTM fused in none
 * and dynamic-range; the other modes unroll it and name it in the result), each validated by the plugin's own
 * validator against TensorFlow running the lowered graph, at batch 1 and 4, in TensorFlow Lite 2.18 (and the first
 * sample in 2.6.2), held to the default tolerance of its mode ({@link Tolerance#defaultFor}). Quantized modes are so
 * judged against the float model. Sizes and op counts printed are the figures of the unrolled form by sequence length.
 */
class KerasRecurrentModesTest {
  private static final String FOLDER = "generated/keras-recurrent/";

  @TempDir
  static Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : List.of("lstm_seq1", "lstm_seq7", "lstm_seq50", "gru_seq1", "gru_seq7", "gru_seq50", "gru_reset_before",
        "simple_rnn_seq1", "simple_rnn_seq7", "simple_rnn_seq50", "bidirectional_lstm_concat", "bidirectional_gru_last", "repeat_vector",
        "time_distributed_conv2d", "stacked_lstm_activity", "bigru_text_classifier")) {
      if (!model.matches(System.getProperty("recurrent.models", ".*"))) {
        continue; // a subset for a local run (-Drecurrent.models=regex); the build runs all
      }
      for (QuantizationMode mode : List.of(QuantizationMode.NONE, QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16,
          QuantizationMode.WEIGHT_ONLY_INT8, QuantizationMode.INT8)) {
        cases.add(Arguments.of(model, mode));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void validatesAgainstTensorFlow(String model, QuantizationMode mode) {
    Path keras = Tflite.fixture(FOLDER + model + ".keras");
    boolean tokenIds = model.contains("text");
    // the fixtures' inputs: features in [-2, 2], token ids in [0, 100)
    double min = tokenIds ? 0 : -2;
    double max = tokenIds ? 99 : 2;
    String name = model + "-" + mode.configName();
    Path tflite = dir.resolve(name + ".tflite");
    ConversionRequest request = ConversionRequest.of(name, keras, mode, tflite);
    if (mode == QuantizationMode.INT8) { // float input and output, int8 inside, calibrated on the validation range
      request = request.withQuantization(mode, QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max)));
    }
    Path work = dir.resolve("work");
    ConversionResult result = new dev.tflite.convert.TfliteConverter().convert(request, work);
    Tolerance tolerance = Tolerance.defaultFor(mode.configName());
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, keras, model + ".keras", List.of("serve"), tflite,
        mode.configName(), 16, 9, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null, List.of(1, 4)));
    System.out.printf(Locale.ROOT, "recurrent %-26s %-14s %8d bytes  worst max abs %.3g  %s  ops %s%n", model, mode.configName(), result.sizeBytes(),
        report.worstMaxAbsError(), report.passed() ? "pass" : "FAIL " + report.failingOutputs(), result.opCounts());
    if (mode == QuantizationMode.INT8 && result.opCounts().containsKey("SLICE")) { // the steps' slices stay in int8, not requantized
      org.junit.jupiter.api.Assertions.assertEquals(2, Tflite.opVersions(tflite).get("SLICE"), name + ": SLICE version");
    }
    // LSTM and SimpleRNN layers are fused ops in none and dynamic-range, an LSTM in int8 too (the integer kernel); the
    // other modes unroll them and say so
    boolean simpleRnn = model.startsWith("simple_rnn");
    boolean lstm = model.contains("lstm") || model.equals("repeat_vector") || simpleRnn;
    boolean fusing = mode == QuantizationMode.NONE || mode == QuantizationMode.DYNAMIC_RANGE || mode == QuantizationMode.INT8 && !simpleRnn;
    boolean fused = result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_LSTM") || result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_RNN");
    org.junit.jupiter.api.Assertions.assertEquals(lstm && fusing, fused, name + ": fused LSTM " + result.opCounts());
    if (fused && mode == QuantizationMode.INT8) { // the integer kernel: int8 weights and output, int16 cell state, 5 intermediates
      var graph = Tflite.read(tflite).getSubgraphs()[0];
      var lstmOps = java.util.Arrays.stream(graph.getOperators()).filter(op -> op.getIntermediates() != null && op.getIntermediates().length == 5).toList();
      org.junit.jupiter.api.Assertions.assertEquals((int) result.opCounts().get("UNIDIRECTIONAL_SEQUENCE_LSTM"), lstmOps.size(), name + ": intermediates");
      for (var op : lstmOps) {
        var output = graph.getTensors()[op.getOutputs()[0]];
        var cell = graph.getTensors()[op.getInputs()[19]];
        double exponent = Math.log(cell.getQuantization().getScale()[0]) / Math.log(2);
        assertTrue(output.getType() == org.tensorflow.lite.schema.TensorType.INT8 && output.getQuantization().getZeroPoint()[0] == 0,
            name + ": int8 output with zero point 0 (2.6.2 drops the hidden zero point)");
        assertTrue(cell.getType() == org.tensorflow.lite.schema.TensorType.INT16 && cell.getIsVariable() && exponent == Math.rint(exponent) && exponent <= -9,
            name + ": int16 cell state at a power-of-two scale of 2^-9 or less, got 2^" + exponent);
        assertTrue(graph.getTensors()[op.getInputs()[12]].getType() == org.tensorflow.lite.schema.TensorType.INT32, name + ": int32 gate bias");
      }
    }
    if (lstm && !fusing) {
      assertTrue(result.unrolledLayers().stream().anyMatch(n -> n.contains(" unrolled: " + mode.configName())),
          name + ": " + result.unrolledLayers());
    }
    if (fused) { // per-layer drift reaches across the fused op: its output is compared with the unrolled sequence in TensorFlow
      var layers = report.layers().stream().filter(l -> l.source().contains("/fused_")).toList();
      assertTrue(!layers.isEmpty() && layers.stream().allMatch(l -> Double.isFinite(l.maxAbsError())), name + ": per-layer " + report.layers());
      if (mode == QuantizationMode.NONE) { // float32 both sides: summation order only
        assertTrue(layers.stream().allMatch(l -> l.maxAbsError() <= 1e-5), name + ": fused layers drift " + layers);
      }
    }
    if (fused && mode == QuantizationMode.DYNAMIC_RANGE && model.equals("stacked_lstm_activity")) { // 32 units: the hybrid kernel
      org.junit.jupiter.api.Assertions.assertEquals(3, Tflite.opVersions(tflite).get("UNIDIRECTIONAL_SEQUENCE_LSTM"), name + ": hybrid version");
    }
    assertTrue(report.passed(), name + ": drift beyond " + tolerance.summary() + " (worst max abs " + report.worstMaxAbsError() + ")");
  }
}
