package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.testmodels.RNet;
import dev.tflite.testmodels.SingleOpModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.Ops;

/** Bad input gets a clear error naming the model and the fix, and never leaves a .tflite behind. */
class BadInputTest {
  @TempDir
  Path dir;

  private ConversionException failing(Path source, String signature) {
    Path out = dir.resolve("out/bad.tflite");
    ConversionException e = assertThrows(ConversionException.class, () -> Tflite.convert(new ConversionRequest("bad", source, signature,
        List.of("serve"), QuantizationMode.DYNAMIC_RANGE, QuantizationOptions.defaults(), Map.of(), out)));
    assertTrue(e.getMessage().startsWith("model 'bad' ("), e.getMessage());
    assertNoOutput(out.getParent());
    return e;
  }

  private static void assertNoOutput(Path outDir) {
    if (Files.isDirectory(outDir)) {
      try (Stream<Path> files = Files.list(outDir)) {
        assertEquals(List.of(), files.toList(), "no partial output may remain");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void missingSource() {
    assertTrue(failing(dir.resolve("nope"), null).getMessage().contains("does not exist"));
  }

  @Test
  void directoryThatIsNotASavedModel() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertTrue(failing(empty, null).getMessage().contains("is not a SavedModel: no saved_model.pb"));
  }

  @Test
  void unknownSignatureListsTheAvailableOnes() {
    Path rnet = RNet.export(dir.resolve("rnet"));
    String message = failing(rnet, "predict").getMessage();
    assertTrue(message.contains("no signature 'predict'") && message.contains("[serving_default]") && message.contains("<signature>"), message);
  }

  @Test
  void corruptSavedModelPb() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Path pb = rnet.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    Files.write(pb, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    String message = failing(rnet, null).getMessage();
    assertTrue(message.contains("saved_model.pb is corrupt"), message);
  }

  @Test
  void missingVariablesShard() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Files.delete(rnet.resolve("variables/variables.data-00000-of-00001"));
    String message = failing(rnet, null).getMessage();
    assertTrue(message.contains("variables"), message);
  }

  @Test
  void unsupportedOpsAreAllListedAtOnce() {
    Path model = SingleOpModels.export(dir.resolve("m"), 1, new long[] {1, 8},
        (Ops tf, org.tensorflow.Operand<org.tensorflow.types.TFloat32> x, dev.tflite.testmodels.SeededWeights w) ->
            // special functions no TensorFlow Lite builtin computes, so they stay unsupported as the op catalogue grows
            tf.math.add(tf.math.lgamma(x), tf.math.add(tf.math.digamma(tf.math.zeta(x, x)), tf.math.lgamma(tf.math.neg(x)))));
    String message = failing(model, null).getMessage();
    assertTrue(message.contains("3 op type(s)") && message.contains("Lgamma (2 node(s)") && message.contains("Digamma (1 node(s)")
        && message.contains("Zeta (1 node(s)"), message);
  }

  @Test
  void unwritableOutputDirectory() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Path blocker = Files.writeString(dir.resolve("file"), "not a directory");
    ConversionException e = assertThrows(ConversionException.class,
        () -> Tflite.convert(rnet, QuantizationMode.NONE, blocker.resolve("rnet.tflite")));
    assertTrue(e.getMessage().contains("cannot write") && e.getMessage().contains("writable"), e.getMessage());
  }
}
