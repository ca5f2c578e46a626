package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import dev.tflite.testmodels.KerasFileBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 2 functional models record every {@code tf.*} call as a TFOpLambda layer and {@code x[...]} as a
 * SlicingOpLambda, in tf.keras' own config layout (written here by {@link KerasFileBuilder#recordedCall}: the function
 * in the config, the first argument's tensors as {@code [layer, 0, 0, kwargs]}, the others by name in kwargs). Keras 2
 * cannot be installed here, so the reference is Keras 3 computing the same functions on the same inputs
 * (fixtures/generated/keras-attention/tf_op_lambda_chain.*: script there); the converted file runs in TensorFlow Lite
 * 2.18 and 2.6.2, and is also held to TensorFlow running the lowered graph.
 */
class KerasTfOpLambdaTest {
  private static final String FOLDER = KerasRealAttentionTest.FOLDER;

  @TempDir
  Path dir;

  private static ObjectNode kw() {
    return KerasFileBuilder.config();
  }

  private static ObjectNode slice(Integer start, Integer stop, Integer step) {
    ObjectNode s = kw();
    if (start == null) {
      s.putNull("start");
    } else {
      s.put("start", start);
    }
    if (stop == null) {
      s.putNull("stop");
    } else {
      s.put("stop", stop);
    }
    if (step == null) {
      s.putNull("step");
    } else {
      s.put("step", step);
    }
    return s;
  }

  @Test
  void recordedCallsComputeWhatKerasComputes() {
    KerasFileBuilder k = new KerasFileBuilder("tf_op_chain", 1);
    String x = k.input("x", 6, 4);
    String y = k.input("y", 6, 4);
    String m = k.recordedCall("TFOpLambda", "math.multiply", new long[] {6, 4}, kw().put("y", 2.0), x);
    String s = k.recordedCall("TFOpLambda", "math.subtract", new long[] {6, 4}, (ObjectNode) kw().set("y", KerasFileBuilder.ref(y)), m);
    String a = k.recordedCall("TFOpLambda", "__operators__.add", new long[] {6, 4}, kw().put("y", 0.5), s);
    String d = k.recordedCall("TFOpLambda", "math.truediv", new long[] {6, 4}, kw().put("y", 3.0), a);
    String g = k.recordedCall("TFOpLambda", "nn.gelu", new long[] {6, 4}, kw().put("approximate", false),
        k.recordedCall("TFOpLambda", "nn.relu", new long[] {6, 4}, kw(), d));
    String sg = k.recordedCall("TFOpLambda", "math.sigmoid", new long[] {6, 4}, kw(), d);
    String c = k.recordedCall("TFOpLambda", "concat", new long[] {6, 8}, kw().put("axis", -1), g, sg);
    ObjectNode shape = kw();
    shape.putArray("shape").add(-1).add(12).add(4);
    String rs = k.recordedCall("TFOpLambda", "reshape", new long[] {12, 4}, shape, c);
    ObjectNode perm = kw();
    perm.putArray("perm").add(0).add(2).add(1);
    String t = k.recordedCall("TFOpLambda", "transpose", new long[] {4, 12}, perm, rs);
    ObjectNode spec = kw();
    spec.putArray("slice_spec").add(slice(null, null, null)).add(slice(1, 3, null)).add(slice(null, null, 2));
    String sl = k.recordedCall("SlicingOpLambda", "__operators__.getitem", new long[] {2, 6}, spec, t);
    String e = k.recordedCall("TFOpLambda", "expand_dims", new long[] {1, 2, 6}, kw().put("axis", 1), sl);
    ObjectNode squeeze = kw();
    squeeze.putArray("axis").add(1);
    String q = k.recordedCall("TFOpLambda", "squeeze", new long[] {2, 6}, squeeze, e);
    String soft = k.recordedCall("TFOpLambda", "nn.softmax", new long[] {2, 6}, kw().put("axis", -1), q);
    String mean = k.recordedCall("TFOpLambda", "math.reduce_mean", new long[] {12}, kw().put("axis", 1).put("keepdims", false), t);
    ObjectNode sumArgs = kw().put("keepdims", true);
    sumArgs.putArray("axis").add(1);
    String sum = k.recordedCall("TFOpLambda", "math.reduce_sum", new long[] {4, 1}, sumArgs, t);
    String max = k.recordedCall("TFOpLambda", "math.reduce_max", new long[] {4}, kw().put("axis", -1), t);
    ObjectNode last = kw();
    last.putArray("slice_spec").add(kw().put("class_name", "__ellipsis__")).addNull().add(-1);
    String el = k.recordedCall("SlicingOpLambda", "__operators__.getitem", new long[] {4, 1}, last, t);
    List<String> outputs = List.of(soft, mean, sum, max, el);
    Path h5 = k.writeKeras2(dir.resolve("tf_op_chain.h5"), outputs.toArray(String[]::new));
    Path tflite = dir.resolve("tf_op_chain.tflite");
    Path work = dir.resolve("work");
    ConversionResult result = Tflite.convert(h5, QuantizationMode.NONE, tflite, work);
    // TensorFlow running the lowered graph, on seeded inputs in [-2, 2]
    FloatBound.assertMatches(Tflite.validate(h5, tflite, Tflite.unbounded(), -2, 2, work), tflite, "tf_op_chain.h5");
    NamedTensors inputs = new NamedTensors();
    for (int i = 0; i < 2; i++) {
      NpyReader.NpyArray v = NpyReader.read(Tflite.fixture(FOLDER + "tf_op_lambda_chain.inputs." + i + ".npy"));
      inputs.put(i == 0 ? x : y, new NamedTensors.FloatTensor(v.shape(), v.values()));
    }
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int j = 0; j < outputs.size(); j++) {
      expected.add(NpyReader.read(Tflite.fixture(FOLDER + "tf_op_lambda_chain.keras_outputs." + j + ".npy")));
    }
    long kAccumulation = FloatBound.longestAccumulation(tflite);
    try (TfLiteRunner runner = new TfLiteRunner(tflite); TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
      double worst = KerasRealAttentionTest.compare("tf_op_chain.h5", "2.18", runner, inputs, expected, outputs, kAccumulation);
      double worst26 = KerasRealAttentionTest.compare("tf_op_chain.h5", TfLite26Runner.VERSION, old, inputs, expected, outputs, kAccumulation);
      System.out.printf(Locale.ROOT, "keras 2 recorded calls: %d bytes  max abs vs Keras %.3g (TFLite 2.6.2: %.3g)  ops %s%n", result.sizeBytes(),
          worst, worst26, result.opCounts());
    }
  }

  /** Every recorded function without a lowering, listed in one message with the supported ones and what to do. */
  @Test
  void unknownFunctionsAreListedAllAtOnce() {
    KerasFileBuilder k = new KerasFileBuilder("unknown", 1);
    String x = k.input("x", 6, 4);
    String a = k.recordedCall("TFOpLambda", "math.cumprod", new long[] {6, 4}, kw().put("axis", 1), x);
    String b = k.recordedCall("TFOpLambda", "signal.rfft", new long[] {6, 3}, kw(), a);
    Path h5 = k.writeKeras2(dir.resolve("unknown.h5"), b);
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(h5, QuantizationMode.NONE, dir.resolve("u.tflite")));
    assertTrue(e.getMessage().contains("tf.math.cumprod (" + a + ")") && e.getMessage().contains("tf.signal.rfft (" + b + ")")
        && e.getMessage().contains("supported: tf.") && e.getMessage().contains("Rewrite that step with a built-in Keras layer"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("u.tflite")));
  }

  /** A Lambda layer is Python bytecode: refused with the layer's name and what to use instead. */
  @Test
  void lambdaLayerIsRefusedWithAdvice() {
    KerasFileBuilder k = new KerasFileBuilder("with_lambda", 1);
    String x = k.input("x", 6, 4);
    String l = k.layer("Lambda", "scale_by_two", kw().put("function", "4wEAAAAAAAAA"), new long[] {6, 4}, List.of(), x);
    Path h5 = k.writeKeras2(dir.resolve("lambda.h5"), l);
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(h5, QuantizationMode.NONE, dir.resolve("l.tflite")));
    assertTrue(e.getMessage().contains("Lambda (scale_by_two)") && e.getMessage().contains("rewrite it with built-in layers")
        && e.getMessage().contains("tf.saved_model.save"), e.getMessage());
  }
}
