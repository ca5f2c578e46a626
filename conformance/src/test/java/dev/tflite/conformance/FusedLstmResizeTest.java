package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused LSTM's state lives in variable tensors the kernel updates in place: one interpreter run at batch 1, then
 * 4, then 1 and 4 again (each a resize and re-allocation), in TensorFlow Lite 2.18 and 2.6.2, must give Keras' own
 * predictions every time: the state is zeroed at every run at that run's batch size (a fixed [1, units] state fails
 * the kernel's batch check; a state left from the previous run changes the result), in none, dynamic-range and int8
 * (the integer kernel). The modes that would put a
 * DEQUANTIZE in the file (float16, weight-only-int8) unroll instead: 2.6.2 loses a DEQUANTIZE's once-computed output
 * when a resize re-plans the variable states ({@link #float16StaysUnrolledAndSurvivesResizes}).
 */
class FusedLstmResizeTest {
  private static final String MODEL = "generated/keras-recurrent/stacked_lstm_activity";

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = QuantizationMode.class, names = {"NONE", "DYNAMIC_RANGE"})
  void statelessAcrossRunsAndBatchResizes(QuantizationMode mode) {
    Path tflite = dir.resolve(mode.configName() + ".tflite");
    ConversionResult result = Tflite.convert(Tflite.fixture(MODEL + ".keras"), mode, tflite);
    assertTrue(result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_LSTM"), result.opCounts().toString());
    // none: summation order only (1e-5 of the softmax outputs' scale 1); int8 weights: their 1/254-of-range steps
    // through two LSTMs (0.05)
    resizes(tflite, mode, mode == QuantizationMode.NONE ? 1e-5 : 0.05);
  }

  /**
   * int8: the integer kernel's variable states (int8 output state, int16 cell state) are zeroed from float zeros at
   * the run's batch size too. Calibrated on the fixture's input range [-2, 2]; int8 activations through two LSTMs and
   * the Dense layer, as the dynamic-range case (0.05 of the softmax outputs' scale 1).
   */
  @org.junit.jupiter.api.Test
  void int8StatelessAcrossRunsAndBatchResizes() {
    Path tflite = dir.resolve("int8.tflite");
    ConversionResult result = Tflite.convert(Tflite.calibratedOn(
        dev.tflite.convert.ConversionRequest.of("int8", Tflite.fixture(MODEL + ".keras"), QuantizationMode.INT8, tflite), QuantizationMode.INT8, -2, 2));
    assertTrue(result.opCounts().get("UNIDIRECTIONAL_SEQUENCE_LSTM") == 2 && result.unrolledLayers().isEmpty(), result.opCounts().toString());
    resizes(tflite, QuantizationMode.INT8, 0.05);
  }

  /**
   * int8 with integerOnly: the fused LSTM's zero state is made in float (no int8 ZEROS_LIKE or TILE kernel in 2.6), so
   * the LSTM is written unrolled, where every op runs integer, and the conversion says why.
   */
  @org.junit.jupiter.api.Test
  void integerOnlyUnrollsTheLstmAndKeepsNothingInFloat() {
    Path tflite = dir.resolve("int8_only.tflite");
    var options = new dev.tflite.convert.quantize.QuantizationOptions(true, dev.tflite.convert.quantize.IoType.FLOAT32,
        dev.tflite.convert.quantize.IoType.FLOAT32, java.util.Set.of(), java.util.List.of(), true,
        new dev.tflite.convert.quantize.calibrate.CalibrationSettings(null, 32, 3, -2, 2));
    ConversionResult result = Tflite.convert(dev.tflite.convert.ConversionRequest.of("int8_only", Tflite.fixture(MODEL + ".keras"), QuantizationMode.INT8, tflite)
        .withQuantization(QuantizationMode.INT8, options));
    assertTrue(!result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_LSTM") && result.floatOps().isEmpty(), result.opCounts() + " " + result.floatOps());
    assertTrue(result.unrolledLayers().size() == 2 && result.unrolledLayers().get(0).contains("integerOnly"), result.unrolledLayers().toString());
  }

  @org.junit.jupiter.api.Test
  void float16StaysUnrolledAndSurvivesResizes() {
    Path tflite = dir.resolve("float16.tflite");
    ConversionResult result = Tflite.convert(Tflite.fixture(MODEL + ".keras"), QuantizationMode.FLOAT16, tflite);
    assertTrue(!result.opCounts().containsKey("UNIDIRECTIONAL_SEQUENCE_LSTM") && result.unrolledLayers().size() == 2, result.unrolledLayers().toString());
    // half-precision weights: 2^-11 relative rounding through two LSTMs and the Dense layer
    resizes(tflite, QuantizationMode.FLOAT16, 1e-3);
  }

  private static void resizes(Path tflite, QuantizationMode mode, double tolerance) {
    NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(MODEL + ".inputs.npy"));
    float[] want = NpyReader.read(Tflite.fixture(MODEL + ".keras_outputs.0.npy")).values();
    long[] oneShape = x.shape().clone();
    oneShape[0] = 1;
    float[] first = Arrays.copyOf(x.values(), x.values().length / (int) x.shape()[0]);
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      String in = runner.inputs()[0].name();
      String out = runner.outputs()[0].name();
      NamedTensors batch4 = new NamedTensors().put(in, new NamedTensors.FloatTensor(x.shape(), x.values()));
      NamedTensors batch1 = new NamedTensors().put(in, new NamedTensors.FloatTensor(oneShape, first));
      for (int round = 0; round < 2; round++) {
        for (ModelRunner r : new ModelRunner[] {runner, old}) {
          double one = maxAbs(want, r.run(batch1).get(out).values());
          double four = maxAbs(want, r.run(batch4).get(out).values());
          String where = mode.configName() + " " + r.getClass().getSimpleName() + " round " + round;
          assertTrue(one <= tolerance && four <= tolerance, where + ": batch 1 " + one + ", batch 4 " + four + " vs Keras > " + tolerance);
        }
      }
    }
  }

  private static double maxAbs(float[] want, float[] got) {
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
    }
    return max;
  }
}
