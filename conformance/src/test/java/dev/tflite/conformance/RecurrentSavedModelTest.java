package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.TfliteConverter;
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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recurrent models from the non-Keras-file sources: TF2 SavedModels written by Keras 3.15 ({@code model.export}: a
 * {@code While} over TensorList ops in the function library) and by plain {@code tf.Module}s ({@code tf.while_loop},
 * {@code tf.scan}, a hand-written LSTM over a {@code tf.TensorArray}), and TF1 frozen graphs ({@code static_rnn} cells,
 * the raw {@code LSTMBlockCell} op, {@code dynamic_rnn} / {@code while_loop} with control flow v1 and TensorArrayV3).
 * The loops are unrolled over the static sequence length into builtins; every mode is validated by the plugin's
 * validator against TensorFlow running the original model (its own While / v1 loop), at batch 1 and 4, in TensorFlow
 * Lite 2.18 and (first sample) 2.6.2. {@code none} is held to the default float tolerance (max abs error 1e-4 of the
 * output's magnitude: the unrolled steps run the same float32 ops in another order, so drift is a few ulps per step);
 * quantized modes to {@link Tolerance#defaultFor} against the float model.
 */
class RecurrentSavedModelTest {
  private static final List<String> SAVED_MODELS = List.of("lstm_last", "lstm_sequences", "gru_sequences", "gru_reset_before",
      "simple_rnn_last", "bidirectional_lstm", "stacked_lstm_activity", "tf_while_loop", "tf_scan", "tensorarray_lstm");
  private static final List<String> TF1_GRAPHS = List.of("static_basic_lstm", "static_peephole_lstm", "static_gru", "lstm_block_cell",
      "dynamic_basic_lstm", "dynamic_gru", "while_loop_tensor_array");
  private static final List<QuantizationMode> MODES = List.of(QuantizationMode.NONE, QuantizationMode.FLOAT16,
      QuantizationMode.DYNAMIC_RANGE, QuantizationMode.WEIGHT_ONLY_INT8, QuantizationMode.INT8);
  /** Ops a loop may leave behind if unrolling missed it. */
  private static final Set<String> LOOP_LEFTOVERS = Set.of("WHILE", "CUSTOM", "FLEX");

  @TempDir
  static Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : SAVED_MODELS) {
      for (QuantizationMode mode : MODES) {
        cases.add(Arguments.of("generated/recurrent-savedmodels/" + model, mode));
      }
    }
    for (String model : TF1_GRAPHS) {
      for (QuantizationMode mode : MODES) {
        cases.add(Arguments.of("generated/tf1-recurrent/" + model + ".pb", mode));
      }
    }
    String only = System.getProperty("dev.only", ""); // TEMP
    return cases.stream().filter(a -> a.get()[0].toString().contains(only) && (only.isEmpty() || a.get()[1] == QuantizationMode.NONE));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void convertsWithBuiltinsAndValidates(String fixture, QuantizationMode mode) {
    Path source = Tflite.fixture(fixture);
    String model = source.getFileName().toString().replace(".pb", "");
    ValidationReport report = convertAndValidate(model, source, mode, Map.of());
    assertTrue(report.passed(), model + " " + mode.configName() + ": drift beyond its tolerance (worst max abs " + report.worstMaxAbsError() + ")");
  }

  @Test
  void openSequenceLengthNeedsInputShapes() {
    Path source = Tflite.fixture("generated/recurrent-savedmodels/lstm_open_length");
    ConversionException e = assertThrows(ConversionException.class,
        () -> new TfliteConverter().convert(ConversionRequest.of("open", source, QuantizationMode.NONE, dir.resolve("open.tflite")), dir.resolve("w")));
    assertTrue(e.getMessage().contains("<inputShapes>") && e.getMessage().contains("sequence length"), e.getMessage());
  }

  @Test
  void openSequenceLengthConvertsAtTheConfiguredLength() {
    Path source = Tflite.fixture("generated/recurrent-savedmodels/lstm_open_length");
    Map<String, long[]> shapes = Map.of("keras_tensor_17", new long[] {1, 9, 3});
    ValidationReport report = convertAndValidate("lstm_open_length", source, QuantizationMode.NONE, shapes);
    assertTrue(report.passed(), "lstm_open_length at length 9: worst max abs " + report.worstMaxAbsError());
  }

  /** Whether the file's first input has shape signature -1 in its batch dimension (then batch 4 is validated too). */
  private static boolean batchIsDynamic(Path tflite) {
    var subgraph = Tflite.read(tflite).getSubgraphs()[0];
    int[] signature = subgraph.getTensors()[subgraph.getInputs()[0]].getShapeSignature();
    return signature != null && signature.length > 0 && signature[0] == -1;
  }

  private static ValidationReport convertAndValidate(String model, Path source, QuantizationMode mode, Map<String, long[]> shapes) {
    double min = -2;
    double max = 2;
    String name = model + "-" + mode.configName();
    Path tflite = dir.resolve(name + ".tflite");
    QuantizationOptions options = mode == QuantizationMode.INT8
        ? QuantizationOptions.defaults().withCalibration(new CalibrationSettings(null, 32, 3, min, max)) // calibrated on the validation range
        : QuantizationOptions.defaults();
    ConversionRequest request = new ConversionRequest(name, source, null, List.of("serve"), mode, options, shapes, tflite);
    Path work = dir.resolve("work-" + name);
    ConversionResult result = new TfliteConverter().convert(request, work);
    Map<String, Integer> ops = result.opCounts();
    assertFalse(ops.keySet().stream().anyMatch(LOOP_LEFTOVERS::contains), name + ": a loop left in the file: " + ops);
    Tolerance tolerance = Tolerance.defaultFor(mode.configName());
    boolean dynamicBatch = batchIsDynamic(tflite);
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, source, model, List.of("serve"), tflite,
        mode.configName(), 8, 9, min, max, tolerance), new ValidationOptions(work, Map.of(), null, null, dynamicBatch ? List.of(1, 4) : List.of(1)));
    int total = ops.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "recurrent-source %-24s %-16s %8d bytes  ops %4d  batch %-6s worst max abs %.3g  %s  %s%n", model,
        mode.configName(), result.sizeBytes(), total, dynamicBatch ? "1,4" : "1", report.worstMaxAbsError(), report.passed() ? "pass" : "FAIL", ops);
    return report;
  }
}
