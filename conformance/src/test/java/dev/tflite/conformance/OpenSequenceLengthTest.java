package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Keras models whose sequence length is open ({@code keras.Input((None, features))}, made by
 * keras-recurrent/make_open_length_fixtures.py): converted with no {@code <inputShapes>}, the file keeps the length
 * dynamic (shape signature -1) where every layer on the sequence follows it: the fused LSTM and RNN kernels read any
 * length, a Dense on the sequence is one FULLY_CONNECTED with keep_num_dims (the official converter's op; the two
 * reshapes of Keras' tensordot could follow only one dynamic dimension). One interpreter, resized to 7, 50, 1 and 7
 * steps again, must give Keras' own predictions at each length, in TensorFlow Lite 2.18 and 2.6.2. We beat the official
 * converter here: for these Keras 3 models it writes a Flex WHILE over TensorList ops. A layer that is unrolled (GRU,
 * a full-integer mode) cannot follow the length: conversion names the layer and {@code <inputShapes>}, and with it set
 * the file is fixed at that length.
 */
class OpenSequenceLengthTest {
  private static final String DIR = "generated/keras-recurrent/";
  private static final int[] LENGTHS = {7, 50, 1, 7};
  private static final dev.tflite.convert.TfliteConverter CONVERTER = new dev.tflite.convert.TfliteConverter();

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "open_lstm_tagger, NONE", "open_lstm_tagger, DYNAMIC_RANGE", "open_lstm_tagger, INT8",
      "open_bilstm_pooled, NONE", "open_bilstm_pooled, DYNAMIC_RANGE",
      "open_simple_rnn_sequence, NONE", "open_simple_rnn_sequence, DYNAMIC_RANGE",
      "open_embedding_lstm, NONE", "open_embedding_lstm, DYNAMIC_RANGE"})
  void followsEveryLengthInBothRuntimes(String model, QuantizationMode mode) {
    Path tflite = dir.resolve(model + ".tflite");
    // int8: calibrated on the fixtures' input range, at the nominal length
    ConversionResult result = Tflite.convert(Tflite.calibratedOn(ConversionRequest.of(model, Tflite.fixture(DIR + model + ".keras"), mode, tflite), mode, -2, 2));
    assertTrue(result.unrolledLayers().isEmpty(), result.unrolledLayers().toString());
    int[] signature = Tflite.inputShapeSignature(tflite);
    assertTrue(signature[0] == -1 && signature[1] == -1, "batch and length stay dynamic: " + java.util.Arrays.toString(signature));
    assertFalse(result.opCounts().containsKey("RESHAPE"), "a reshape would fix the length: " + result.opCounts());
    for (int length : LENGTHS) {
      float[] want = NpyReader.read(Tflite.fixture(DIR + model + ".keras_outputs.L" + length + ".npy")).values();
      double scale = maxAbs(want, new float[want.length]);
      // none: summation order only (1e-5 of the outputs' scale); dynamic-range: int8 weight steps (1/254 of each
      // row's range) and int8 inputs of each product through up to two recurrent layers, as in FusedLstmResizeTest;
      // int8: the same plus int8 activations, the int16 cell state and int8 states carried over up to 50 steps
      double tolerance = (mode == QuantizationMode.NONE ? 1e-5 : mode == QuantizationMode.INT8 ? 0.08 : 0.05) * Math.max(1, scale);
      try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
        for (ModelRunner r : new ModelRunner[] {runner, old}) {
          double error = maxAbs(want, run(r, runner, model, length));
          assertTrue(error <= tolerance, model + " " + mode + " " + r.getClass().getSimpleName() + " at length " + length + ": " + error + " > " + tolerance);
        }
      }
    }
  }

  /**
   * Keyword spotting's shape, a Conv1D and a MaxPooling1D over time before the LSTM: Keras lowers both through a unit
   * dimension, written as EXPAND_DIMS and SQUEEZE, which follow the open length where a RESHAPE could not.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(value = QuantizationMode.class, names = {"NONE", "DYNAMIC_RANGE", "INT8"})
  void aConvolutionOverTimeFollowsEveryLength(QuantizationMode mode) {
    String model = "open_conv1d_lstm";
    Path tflite = dir.resolve(model + ".tflite");
    ConversionResult result = Tflite.convert(Tflite.calibratedOn(ConversionRequest.of(model, Tflite.fixture(DIR + model + ".keras"), mode, tflite), mode, -2, 2));
    assertTrue(result.opCounts().containsKey("EXPAND_DIMS") && !result.opCounts().containsKey("RESHAPE"), result.opCounts().toString());
    assertEquals(-1, Tflite.inputShapeSignature(tflite)[1]);
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      for (int length : new int[] {8, 50, 2, 8}) {
        float[] want = NpyReader.read(Tflite.fixture(DIR + model + ".keras_outputs.L" + length + ".npy")).values();
        // softmax outputs (scale 1): none, summation order; the quantized modes as for the LSTM models above
        double tolerance = mode == QuantizationMode.NONE ? 1e-5 : mode == QuantizationMode.INT8 ? 0.08 : 0.05;
        for (ModelRunner r : new ModelRunner[] {runner, old}) {
          double error = maxAbs(want, run(r, runner, model, length));
          assertTrue(error <= tolerance, mode + " " + r.getClass().getSimpleName() + " at length " + length + ": " + error);
        }
      }
    }
  }

  /**
   * Not a sequence: a fully convolutional Keras model declared keras.Input((None, None, 3)) keeps height and width
   * open the same way (built at 16×16 and 32×32), and gives Keras' outputs on 8×8, 50×50 and 2×2 images.
   */
  @Test
  void aFullyConvolutionalImageModelKeepsItsSizeOpen() {
    String model = "open_fully_convolutional";
    Path tflite = dir.resolve(model + ".tflite");
    Tflite.convert(Tflite.fixture(DIR + model + ".keras"), QuantizationMode.NONE, tflite);
    assertArrayEquals(new int[] {-1, -1, -1, 3}, Tflite.inputShapeSignature(tflite));
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      for (int size : new int[] {8, 50, 2, 8}) {
        float[] want = NpyReader.read(Tflite.fixture(DIR + model + ".keras_outputs.L" + size + ".npy")).values();
        double tolerance = 1e-5 * Math.max(1, maxAbs(want, new float[want.length])); // float32 summation order only
        for (ModelRunner r : new ModelRunner[] {runner, old}) {
          double error = maxAbs(want, run(r, runner, model, size));
          assertTrue(error <= tolerance, r.getClass().getSimpleName() + " at " + size + "x" + size + ": " + error);
        }
      }
    }
  }

  /** Keras 3's legacy .h5 of the same model keeps the length open too, and gives Keras' outputs at every length. */
  @Test
  void theLegacyH5FollowsEveryLength() {
    Path tflite = dir.resolve("h5.tflite");
    Tflite.convert(Tflite.fixture(DIR + "open_lstm_tagger.h5"), QuantizationMode.NONE, tflite);
    assertEquals(-1, Tflite.inputShapeSignature(tflite)[1]);
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      for (int length : LENGTHS) {
        float[] want = NpyReader.read(Tflite.fixture(DIR + "open_lstm_tagger.keras_outputs.L" + length + ".npy")).values();
        double error = maxAbs(want, run(runner, runner, "open_lstm_tagger", length));
        assertTrue(error <= 1e-5, "length " + length + ": " + error); // softmax outputs: summation order only
      }
    }
  }

  /**
   * Validation runs the file at its default shape (the nominal length 16) against TensorFlow at that length, and
   * resized to the second length the converter built the model at against TensorFlow at that one.
   */
  @Test
  void validatesAtTwoLengths() {
    Path tflite = dir.resolve("open_lstm_tagger.tflite");
    Path work = dir.resolve("work");
    Path source = Tflite.fixture(DIR + "open_lstm_tagger.keras");
    Tflite.convert(source, QuantizationMode.NONE, tflite, work);
    ValidationReport report = Tflite.validate(source, tflite, Tflite.unbounded(), -2, 2, work);
    assertEquals(16, report.inputs().get(0).shape()[1], "the file's default length");
    assertArrayEquals(new int[] {1, 32, 6}, report.inputs().get(0).alsoRunAt(), "the second length, in the report");
    // summation order only, at both lengths (the softmax outputs' scale is 1)
    assertTrue(report.outputs().get(0).maxAbsError() < 1e-5, report.outputs().get(0).toString());
  }

  /**
   * The second length is a real check: a GRU file fixed at 16 steps (unrolled), validated as if it kept the length
   * open (with the reference built at 17 steps), reads only 16 of the 17 steps after the resize, and validation
   * measures it far from TensorFlow there, where the same file at its own length is within float rounding.
   */
  @Test
  void theSecondLengthCatchesAFileFixedAtOne() throws java.io.IOException {
    Path source = Tflite.fixture(DIR + "open_gru_classifier.keras");
    Path work = dir.resolve("work");
    Path fixed = dir.resolve("fixed.tflite");
    CONVERTER.convert(ConversionRequest.of("fixed", source, QuantizationMode.NONE, fixed).withInputShapes(Map.of("x", new long[] {-1, 16, 6})), work);
    double atOwnLength = Tflite.validate(source, fixed, Tflite.unbounded(), -2, 2, work).outputs().get(0).maxAbsError();
    Path other = dir.resolve("other");
    CONVERTER.convert(ConversionRequest.of("fixed", source, QuantizationMode.NONE, dir.resolve("seventeen.tflite"))
        .withInputShapes(Map.of("x", new long[] {-1, 17, 6})), other);
    java.nio.file.Files.copy(other.resolve("fixed.frozen.pb"), work.resolve("fixed.frozen.open-length.pb"));
    ValidationReport report = Tflite.validate(source, fixed, Tflite.unbounded(), -2, 2, work);
    assertTrue(atOwnLength < 1e-5, "at its own length: " + atOwnLength);
    assertTrue(report.outputs().get(0).maxAbsError() > 100 * atOwnLength + 1e-3, "the 17-step samples: " + report.outputs().get(0));
  }

  @Test
  void anUnrolledLayerNeedsTheLengthSet() {
    Path source = Tflite.fixture(DIR + "open_gru_classifier.keras");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(source, QuantizationMode.NONE, dir.resolve("gru.tflite")));
    assertTrue(e.getMessage().contains("GRU 'gru' is unrolled") && e.getMessage().contains("<inputShapes>"), e.getMessage());
    assertFalse(java.nio.file.Files.exists(dir.resolve("gru.tflite")), "no half-written file");

    Path tflite = dir.resolve("gru7.tflite");
    // -1 keeps the batch as declared (dynamic); 7 sets the length
    Tflite.convert(ConversionRequest.of("gru7", source, QuantizationMode.NONE, tflite).withInputShapes(Map.of("x", new long[] {-1, 7, 6})));
    assertArrayEquals(new int[] {-1, 7, 6}, Tflite.inputShapeSignature(tflite), "the batch stays dynamic, the length is the one set");
    float[] want = NpyReader.read(Tflite.fixture(DIR + "open_gru_classifier.keras_outputs.L7.npy")).values();
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      double error = maxAbs(want, run(runner, runner, "open_gru_classifier", 7));
      assertTrue(error <= 1e-5 * Math.max(1, maxAbs(want, new float[want.length])), "GRU at its set length: " + error);
    }
  }

  /**
   * int8 writes an LSTM as the integer sequence kernel, so the length stays open in int8 too; int16x8 unrolls (the
   * 2.6 kernel takes int8 activations), so there the length must be set, and the report names the fallback.
   */
  @Test
  void int8KeepsTheLengthOpenInt16x8NeedsItSet() {
    Path source = Tflite.fixture(DIR + "open_lstm_tagger.keras");
    Path int8 = dir.resolve("int8.tflite");
    ConversionResult fused = Tflite.convert(source, QuantizationMode.INT8, int8);
    assertEquals(2, fused.opCounts().get("UNIDIRECTIONAL_SEQUENCE_LSTM"), fused.opCounts().toString());
    assertEquals(-1, Tflite.inputShapeSignature(int8)[1]);
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(source, QuantizationMode.INT16X8, dir.resolve("int16.tflite")));
    assertTrue(e.getMessage().contains("LSTM 'encoder' is unrolled") && e.getMessage().contains("<inputShapes>"), e.getMessage());
    Path tflite = dir.resolve("int16_7.tflite");
    Path work = dir.resolve("work");
    ConversionResult result = CONVERTER.convert(ConversionRequest.of("int16_7", source, QuantizationMode.INT16X8, tflite)
        .withInputShapes(Map.of("x", new long[] {1, 7, 6})), work);
    assertEquals(2, result.unrolledLayers().size(), result.unrolledLayers().toString());
    assertEquals(7, Tflite.inputShapeSignature(tflite)[1]);
    // the report names the fallback too, not only the build log
    ValidationReport report = Tflite.validate(source, tflite, Tflite.unbounded(), -2, 2, work);
    assertTrue(report.diagnostics().stream().anyMatch(d -> d.startsWith("conversion: LSTM 'encoder' unrolled: int16x8")), report.diagnostics().toString());
  }

  private static float[] run(ModelRunner r, TfLiteRunner names, String model, int length) {
    NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(DIR + model + ".inputs.L" + length + ".npy"));
    NamedTensors in = new NamedTensors().put(names.inputs()[0].name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
    return r.run(in).get(names.outputs()[0].name()).values();
  }

  private static double maxAbs(float[] want, float[] got) {
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
    }
    return max;
  }
}
