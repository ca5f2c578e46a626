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
import dev.tflite.testmodels.Keras2RecurrentZoo;
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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recurrent models from every source but Keras 3 files: TF2 SavedModels written by Keras 3.15 ({@code model.export}: a
 * {@code While} over TensorList ops in the function library) and by plain {@code tf.Module}s ({@code tf.while_loop},
 * {@code tf.scan}, a hand-written LSTM over a {@code tf.TensorArray}), and TF1 frozen graphs ({@code static_rnn} cells,
 * the raw {@code LSTMBlockCell} op, {@code dynamic_rnn} / {@code while_loop} with control flow v1 and TensorArrayV3), and
 * Keras 2 {@code .h5} files written in Java ({@link Keras2RecurrentZoo}: weights in the cells, named as Keras 2 names them).
 * The loops are unrolled over the static sequence length into builtins; every mode is validated by the plugin's
 * validator against TensorFlow running the original model (its own While / v1 loop), at batch 1 and 4, in TensorFlow
 * Lite 2.18 and (first sample) 2.6.2. {@code none} is held to the default float tolerance (max abs error 1e-4 of the
 * output's magnitude: the unrolled steps run the same float32 ops in another order, so drift is a few ulps per step);
 * quantized modes to {@link Tolerance#defaultFor} against the float model.
 */
class RecurrentSourcesTest {
  private static final List<String> SAVED_MODELS = List.of("lstm_last", "lstm_wide", "lstm_sequences", "gru_sequences", "gru_reset_before",
      "simple_rnn_last", "bidirectional_lstm", "stacked_lstm_activity", "tf_while_loop", "tf_scan", "tensorarray_lstm", "lstm_unrolled_in_python",
      "lstm_go_backwards_relu", "lstm_no_bias_sum_bidirectional", "simple_rnn_relu_stacked", "lstm_return_state", "masked_lstm");
  private static final List<String> TF1_GRAPHS = List.of("static_basic_lstm", "static_peephole_lstm", "static_gru", "lstm_block_cell",
      "dynamic_basic_lstm", "dynamic_gru", "while_loop_tensor_array");
  /**
   * One model per source kind in every quantized mode (each has a weight of 1024 elements or more, so dynamic-range
   * and weight-only-int8 quantize something); every model in none (the unrolling must be exact).
   */
  private static final Set<String> ALL_MODES = Set.of("lstm_wide", "tensorarray_lstm", "dynamic_basic_lstm", "keras2_lstm_wide");
  /** And int8, the mode that drifts most, for each cell kind and wrapper once more (the gates' SPLIT/SLICE stay int8). */
  private static final Set<String> INT8_TOO = Set.of("bidirectional_lstm", "stacked_lstm_activity", "gru_sequences", "tf_scan",
      "static_basic_lstm", "lstm_block_cell", "keras2_bigru_text_classifier", "keras2_lstm_open_length", "simple_rnn_last", "while_loop_tensor_array");
  /**
   * The fused ops each source's file has, as the official converter writes a Keras LSTM: the steps are found and
   * re-rolled (tf/recurrent). An LSTM fuses in none, dynamic-range and int8, a SimpleRNN in none and dynamic-range
   * (no integer RNN kernel); float16 and weight-only-int8 unroll every layer (2.6.2's resize bug). Zero where the fused
   * kernel cannot compute the layer: tensorarray_lstm returns its cell state, static_peephole_lstm has peepholes and a
   * projection (not matched), GRUs have no fused builtin.
   */
  private static final Map<String, Map<String, Integer>> FUSED = Map.ofEntries(Map.entry("lstm_last", lstms(1)), Map.entry("lstm_wide", lstms(1)),
      Map.entry("lstm_sequences", lstms(1)), Map.entry("bidirectional_lstm", lstms(2)), Map.entry("stacked_lstm_activity", lstms(2)),
      Map.entry("tensorarray_lstm", lstms(0)), Map.entry("static_basic_lstm", lstms(1)), Map.entry("lstm_block_cell", lstms(1)),
      Map.entry("dynamic_basic_lstm", lstms(1)), Map.entry("static_peephole_lstm", lstms(0)), Map.entry("simple_rnn_last", rnns(1)),
      Map.entry("tf_while_loop", rnns(1)), Map.entry("while_loop_tensor_array", rnns(1)), Map.entry("gru_sequences", rnns(0)),
      Map.entry("static_gru", rnns(0)), Map.entry("lstm_unrolled_in_python", lstms(1)), Map.entry("lstm_go_backwards_relu", lstms(1)),
      Map.entry("lstm_no_bias_sum_bidirectional", lstms(2)), Map.entry("simple_rnn_relu_stacked", rnns(2)), Map.entry("lstm_return_state", lstms(0)));
  private static final String LSTM = "UNIDIRECTIONAL_SEQUENCE_LSTM";
  private static final String RNN = "UNIDIRECTIONAL_SEQUENCE_RNN";

  private static Map<String, Integer> lstms(int n) {
    return Map.of(LSTM, n, RNN, 0);
  }

  private static Map<String, Integer> rnns(int n) {
    return Map.of(LSTM, 0, RNN, n);
  }

  /** Whether {@code mode} writes the fused {@code op} (TfliteConverter#unfusedReason). */
  private static boolean fuses(String op, QuantizationMode mode) {
    return mode == QuantizationMode.NONE || mode == QuantizationMode.DYNAMIC_RANGE || mode == QuantizationMode.INT8 && op.equals(LSTM);
  }

  private static final List<QuantizationMode> MODES = List.of(QuantizationMode.NONE, QuantizationMode.FLOAT16,
      QuantizationMode.DYNAMIC_RANGE, QuantizationMode.WEIGHT_ONLY_INT8, QuantizationMode.INT8);
  private static final int SAMPLES = 8;
  /** Ops a loop may leave behind if unrolling missed it. */
  private static final Set<String> LOOP_LEFTOVERS = Set.of("WHILE", "CUSTOM", "FLEX");

  @TempDir
  static Path dir;

  /** A model to convert: where it comes from, its name, and its input range. */
  record Source(String name, Supplier<Path> path, double min, double max) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Source> sources = new ArrayList<>();
    SAVED_MODELS.forEach(m -> sources.add(new Source(m, () -> Tflite.fixture("generated/recurrent-savedmodels/" + m), -2, 2)));
    TF1_GRAPHS.forEach(m -> sources.add(new Source(m, () -> Tflite.fixture("generated/tf1-recurrent/" + m + ".pb"), -2, 2)));
    for (Keras2RecurrentZoo.Entry e : Keras2RecurrentZoo.MODELS) {
      sources.add(new Source(e.name(), () -> e.writer().apply(dir.resolve(e.name() + ".h5")), e.min(), e.max()));
    }
    List<Arguments> cases = new ArrayList<>();
    for (Source source : sources) {
      for (QuantizationMode mode : MODES) {
        if (mode == QuantizationMode.NONE || ALL_MODES.contains(source.name()) || (mode == QuantizationMode.INT8 && INT8_TOO.contains(source.name()))) {
          cases.add(Arguments.of(source, mode));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void convertsWithBuiltinsAndValidates(Source source, QuantizationMode mode) {
    ValidationReport report = convertAndValidate(source.name(), source.path().get(), mode, Map.of(), source.min(), source.max());
    Map<String, Integer> fused = FUSED.get(source.name());
    if (fused != null) {
      Map<String, Integer> ops = Tflite.opCounts(dir.resolve(source.name() + "-" + mode.configName() + ".tflite"));
      fused.forEach((op, count) -> {
        int expected = fuses(op, mode) ? count : 0;
        assertEquals(expected, ops.getOrDefault(op, 0), source.name() + " " + mode.configName() + " " + op + ": " + ops);
        if (expected > 0) { // nothing of the steps left beside the fused op (an LSTM's gates, an RNN's activation)
          assertFalse(ops.containsKey("LOGISTIC") || ops.containsKey("SPLIT") || ops.containsKey("TANH"), "a step left unrolled: " + ops);
        }
      });
    }
    assertTrue(report.passed(), source.name() + " " + mode.configName() + ": drift beyond its tolerance: " + report.failingOutputs());
  }

  /**
   * An LSTM the fused kernel cannot compute stays unrolled, and the conversion result says which and why, once per
   * layer: the hand-written TensorArray LSTM and Keras' return_state return the cell state, which
   * UNIDIRECTIONAL_SEQUENCE_LSTM keeps inside; a masked LSTM keeps the previous state at masked steps.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unfusedLstms")
  void anLstmTheKernelCannotComputeStaysUnrolledAndSaysWhy(String model, String reason) {
    ConversionResult result = new TfliteConverter().convert(ConversionRequest.of(model,
        Tflite.fixture("generated/recurrent-savedmodels/" + model), QuantizationMode.NONE, dir.resolve(model + "-unfused.tflite")));
    List<String> notes = result.unrolledLayers();
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("LSTM '") && notes.get(0).contains(reason), notes.toString());
  }

  static Stream<Arguments> unfusedLstms() {
    return Stream.of(Arguments.of("tensorarray_lstm", "its cell state is read outside the layer"),
        Arguments.of("lstm_return_state", "its cell state is read outside the layer"), Arguments.of("masked_lstm", "its steps are masked"));
  }

  /** A Keras 2 .h5 whose LSTM reads an open length keeps it open (validation above ran it at lengths 16 and 32). */
  @Test
  void aKeras2OpenLengthStaysOpen() {
    Keras2RecurrentZoo.Entry open = Keras2RecurrentZoo.MODELS.stream().filter(e -> e.name().equals("keras2_lstm_open_length")).findFirst().orElseThrow();
    Path tflite = dir.resolve("keras2_open.tflite");
    new TfliteConverter().convert(ConversionRequest.of("keras2_open", open.writer().apply(dir.resolve("keras2_open.h5")), QuantizationMode.NONE, tflite));
    int[] signature = Tflite.inputShapeSignature(tflite);
    assertTrue(signature[0] == -1 && signature[1] == -1, java.util.Arrays.toString(signature));
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
    ValidationReport report = convertAndValidate("lstm_open_length", source, QuantizationMode.NONE, shapes, -2, 2);
    assertTrue(report.passed(), "lstm_open_length at length 9: worst max abs " + report.worstMaxAbsError());
  }

  /**
   * The fused form costs the same ops at every length; the unrolled one (float16, which unrolls) the same ops more
   * every step: the open-length Keras LSTM(4) SavedModel converted at 5, 10 and 20 steps.
   */
  @Test
  void fusedOpCountStaysAndUnrolledGrowsByAFixedCountPerStep() {
    int[] fused = opTotals(QuantizationMode.NONE);
    int[] unrolled = opTotals(QuantizationMode.FLOAT16);
    int perStep = (unrolled[1] - unrolled[0]) / 5;
    System.out.printf(Locale.ROOT, "recurrent-source Keras LSTM(4) SavedModel at 5 / 10 / 20 steps: fused %d / %d / %d ops, unrolled %d / %d / %d (%d per step)%n",
        fused[0], fused[1], fused[2], unrolled[0], unrolled[1], unrolled[2], perStep);
    assertTrue(fused[0] == fused[1] && fused[1] == fused[2], "fused: the same ops at every length");
    assertTrue(perStep > 0, "unrolled: ops grow with the steps");
    assertEquals(unrolled[1] - unrolled[0], perStep * 5, "ops per step between 5 and 10 steps");
    assertEquals(unrolled[2] - unrolled[1], perStep * 10, "ops per step between 10 and 20 steps");
  }

  private static int[] opTotals(QuantizationMode mode) {
    Path source = Tflite.fixture("generated/recurrent-savedmodels/lstm_open_length");
    int[] lengths = {5, 10, 20};
    int[] totals = new int[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      String name = "open-" + mode.configName() + "-" + lengths[i];
      ConversionRequest request = new ConversionRequest(name, source, null, List.of("serve"), mode, QuantizationOptions.defaults(),
          Map.of("keras_tensor_17", new long[] {1, lengths[i], 3}), dir.resolve(name + ".tflite"));
      totals[i] = new TfliteConverter().convert(request, dir.resolve("w-" + name)).opCounts().values().stream().mapToInt(Integer::intValue).sum();
    }
    return totals;
  }

  /** Whether the file's first input has shape signature -1 in its batch dimension (then batch 4 is validated too). */
  private static boolean batchIsDynamic(Path tflite) {
    var subgraph = Tflite.read(tflite).getSubgraphs()[0];
    int[] signature = subgraph.getTensors()[subgraph.getInputs()[0]].getShapeSignature();
    return signature != null && signature.length > 0 && signature[0] == -1;
  }

  private static ValidationReport convertAndValidate(String model, Path source, QuantizationMode mode, Map<String, long[]> shapes,
      double min, double max) {
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
    // TensorFlow Lite 2.6.2 runs the same samples as 2.18: the SNR of one sample is noise when the model's output is
    // near zero for it (a BiLSTM + Dense(3) head reads 14 dB on one sample and 22 dB over eight in int8)
    ValidationReport report = new ModelValidator().validate(new ValidationRequest(name, source, model, List.of("serve"), tflite,
        mode.configName(), SAMPLES, 9, min, max, tolerance),
        new ValidationOptions(work, Map.of(), null, null, dynamicBatch ? List.of(1, 4) : List.of(1), SAMPLES));
    int total = ops.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "recurrent-source %-24s %-16s %8d bytes  ops %4d  batch %-6s worst max abs %.3g  %s  %s%n", model,
        mode.configName(), result.sizeBytes(), total, dynamicBatch ? "1,4" : "1", report.worstMaxAbsError(), report.passed() ? "pass" : "FAIL", ops);
    return report;
  }
}
