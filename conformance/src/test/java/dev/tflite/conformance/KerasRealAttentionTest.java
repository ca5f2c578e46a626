package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionResult;
import dev.tflite.convert.importer.keras.KerasImporter;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.runtime.ModelRunner;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.NpyReader;
import dev.tflite.runtime.TfLite26Runner;
import dev.tflite.runtime.TfLiteRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attention models written by real Keras 3.15 (fixtures/generated/keras-attention: script and provenance there), as
 * .keras and legacy .h5: MultiHeadAttention (self and cross attention, key/value dims, output_shape, no bias, masks,
 * causal, attention scores), Attention (dot, scaled, concat, masks, causal), AdditiveAttention, ReLU thresholds, Dot
 * on 3-D inputs, a ViT and a BERT-style encoder (Keras 3 op nodes for position embeddings, the padding mask and the
 * [CLS] slice) and their Sequential transfer-learning wrappers. Each converted without quantization and run in
 * TensorFlow Lite 2.18 and 2.6.2 on the saved inputs (batch 4), every output held to Keras' own predictions, and to
 * TensorFlow running the lowered graph ({@link FloatBound}).
 */
class KerasRealAttentionTest {
  static final String FOLDER = "generated/keras-attention/";

  @TempDir
  Path dir;

  static Stream<String> fixtures() throws IOException {
    try (var files = Files.list(Tflite.fixture(FOLDER))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".keras") || f.endsWith(".h5")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void matchesKerasOwnPredictions(String file) {
    String name = file.substring(0, file.lastIndexOf('.'));
    Path source = Tflite.fixture(FOLDER + file);
    Path tflite = dir.resolve(file.replace('.', '-') + ".tflite");
    Path work = dir.resolve("work");
    ConversionResult result = Tflite.convert(source, QuantizationMode.NONE, tflite, work);
    var graph = KerasImporter.load(source);
    List<SignatureTensor> signature = graph.inputs(); // the model's inputs and outputs, in the order the script saved them
    List<String> outputs = graph.outputs().stream().map(SignatureTensor::name).toList();
    NamedTensors inputs = new NamedTensors();
    for (int i = 0; i < signature.size(); i++) {
      NpyReader.NpyArray x = NpyReader.read(Tflite.fixture(FOLDER + name + ".inputs." + i + ".npy"));
      inputs.put(signature.get(i).name(), new NamedTensors.FloatTensor(x.shape(), x.values()));
    }
    List<NpyReader.NpyArray> expected = new ArrayList<>();
    for (int j = 0; Files.exists(Tflite.fixture(FOLDER).resolve(name + ".keras_outputs." + j + ".npy")); j++) {
      expected.add(NpyReader.read(Tflite.fixture(FOLDER + name + ".keras_outputs." + j + ".npy")));
    }
    try (TfLiteRunner runner = new TfLiteRunner(tflite)) {
      assertEquals(expected.size(), runner.outputs().length, file + ": outputs");
      long k = FloatBound.longestAccumulation(tflite);
      double worst = compare(file, "2.18", runner, inputs, expected, outputs, k);
      double worst26;
      try (TfLite26Runner old = new TfLite26Runner(tflite, 1)) {
        worst26 = compare(file, TfLite26Runner.VERSION, old, inputs, expected, outputs, k);
      }
      // and TensorFlow running the lowered graph on seeded inputs in [0, 1] (token ids 0 and 1, masks kept where non-zero)
      FloatBound.assertMatches(Tflite.validate(source, tflite, Tflite.unbounded(), 0, 1, work), tflite, file);
      System.out.printf(Locale.ROOT, "keras attention %-40s %7d bytes  max abs vs Keras %.3g (TFLite 2.6.2: %.3g)  ops %s%n", file,
          result.sizeBytes(), worst, worst26, result.opCounts());
    }
  }

  static double compare(String file, String runtime, ModelRunner runner, NamedTensors inputs, List<NpyReader.NpyArray> expected,
      List<String> outputs, long accumulation) {
    NamedTensors actual = runner.run(inputs);
    double worst = 0;
    for (int o = 0; o < expected.size(); o++) {
      NpyReader.NpyArray want = expected.get(o);
      NamedTensors.FloatTensor got = actual.get(outputs.get(o));
      assertArrayEquals(want.shape(), got.shape(), file + " output " + o + " shape in " + runtime);
      double max = 0;
      double scale = 0;
      for (int i = 0; i < want.values().length; i++) {
        max = Math.max(max, Math.abs(want.values()[i] - got.values()[i]));
        scale = Math.max(scale, Math.abs(want.values()[i]));
      }
      // float32 on both sides, only the order of summation differs (Keras' einsums on oneDNN, TensorFlow Lite's
      // fully-connected and batch-matmul kernels; the query scale folded into its kernel rounds once instead of after
      // the projection): FloatBound, 1e-5 of the output's magnitude or more for long accumulations
      double tolerance = FloatBound.of(scale, accumulation);
      assertTrue(Double.isFinite(scale) && scale < 1e3, file + " output " + o + ": Keras' reference is not a usable one (max |ref| " + scale + ")");
      assertTrue(max <= tolerance, file + " output " + o + " in TensorFlow Lite " + runtime + ": max abs " + max + " vs Keras > " + tolerance);
      worst = Math.max(worst, max);
    }
    return worst;
  }

  /**
   * Keras' implicit mask (Embedding mask_zero=True) reaching a layer that applies it in Keras but whose masked form is
   * not lowered (Attention; MultiHeadAttention's is, see KerasRealMaskTest) is refused, with the explicit mask to use.
   */
  @org.junit.jupiter.api.Test
  void implicitMaskIntoAttentionIsRefusedWithAdvice() {
    var k = new dev.tflite.testmodels.KerasFileBuilder("implicit_mask", 3);
    String ids = k.input("ids", "int32", 7);
    String x = k.layer("Embedding", "tokens", dev.tflite.testmodels.KerasFileBuilder.config().put("input_dim", 20).put("output_dim", 8)
        .put("mask_zero", true), new long[] {7, 8}, List.of(new long[] {20, 8}), ids);
    String y = k.layer("Attention", "dot_attention", dev.tflite.testmodels.KerasFileBuilder.config().put("use_scale", false),
        new long[] {7, 8}, List.of(), x, x);
    Path file = k.write(dir.resolve("implicit_mask.keras"), y);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.tflite.convert.ConversionException.class,
        () -> Tflite.convert(file, QuantizationMode.NONE, dir.resolve("implicit_mask.tflite")));
    assertTrue(e.getMessage().contains("layer 'tokens' (Embedding)") && e.getMessage().contains("layer 'dot_attention' (Attention)")
        && e.getMessage().contains("pass mask=[query_mask, value_mask]"), e.getMessage());
  }
}
