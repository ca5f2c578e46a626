package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.convert.quantize.QuantizationOptions;
import dev.tflite.convert.quantize.calibrate.CalibrationSettings;
import dev.tflite.testmodels.RNet;
import dev.tflite.testmodels.SingleOpModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile inputs: each gets a clear error naming the file and the problem, the JVM survives (inputs are checked before
 * native code sees them), and no partial .tflite is left.
 */
class BadInputCorpusTest {
  @TempDir
  static Path dir;
  static Path rnet;

  @BeforeAll
  static void export() {
    rnet = RNet.export(dir.resolve("rnet-original"));
  }

  static Path copyOfRNet(String name) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> files = Files.walk(rnet)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(rnet.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  private static ConversionException failure(Path source, QuantizationMode mode, QuantizationOptions options) {
    Path out = dir.resolve("out-" + source.getFileName()).resolve("model.tflite");
    ConversionException e = assertThrows(ConversionException.class,
        () -> Tflite.convert(ConversionRequest.of("bad", source, mode, out).withQuantization(mode, options)));
    assertTrue(!Files.exists(out.getParent()) || listing(out.getParent()).isEmpty(), "no partial output: " + listing(out.getParent()));
    return e;
  }

  private static List<Path> listing(Path d) {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void bitFlippedSavedModelPb(long seed) throws IOException {
    Path model = copyOfRNet("flipped-" + seed);
    Path pb = model.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
    Files.write(pb, bytes);
    try {
      Tflite.convert(ConversionRequest.of("flipped", model, QuantizationMode.NONE, dir.resolve("flipped-" + seed + ".tflite")));
    } catch (ConversionException e) {
      assertTrue(e.getMessage().startsWith("model 'flipped'"), e.getMessage());
      assertTrue(!Files.exists(dir.resolve("flipped-" + seed + ".tflite")));
    }
    // flips inside weight constants may leave a valid model: converting it is correct, crashing is not
  }

  @Test
  void corruptVariablesShard() throws IOException {
    Path model = copyOfRNet("corrupt-shard");
    Path data = model.resolve("variables/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    for (int i = 100; i < bytes.length; i += 997) {
      bytes[i] ^= 0x5a;
    }
    Files.write(data, bytes);
    String message = failure(model, QuantizationMode.NONE, QuantizationOptions.defaults()).getMessage();
    assertTrue(message.contains("variables"), message);
  }

  @Test
  void truncatedVariablesIndex() throws IOException {
    Path model = copyOfRNet("truncated-index");
    Path index = model.resolve("variables/variables.index");
    byte[] bytes = Files.readAllBytes(index);
    Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    String message = failure(model, QuantizationMode.NONE, QuantizationOptions.defaults()).getMessage();
    assertTrue(message.contains("cannot load the SavedModel") || message.contains("variables"), message);
  }

  @Test
  void nanAndInfiniteWeightsAreNamed() {
    Path model = SingleOpModels.export(dir.resolve("nan"), 1, new long[] {1, 8}, (tf, x, w) -> {
      float[] values = new float[8 * 4];
      values[3] = Float.NaN;
      values[9] = Float.POSITIVE_INFINITY;
      return tf.linalg.matMul(x, tf.withName("weights").constant(new float[][] {
          java.util.Arrays.copyOfRange(values, 0, 4), java.util.Arrays.copyOfRange(values, 4, 8), java.util.Arrays.copyOfRange(values, 8, 12),
          java.util.Arrays.copyOfRange(values, 12, 16), java.util.Arrays.copyOfRange(values, 16, 20), java.util.Arrays.copyOfRange(values, 20, 24),
          java.util.Arrays.copyOfRange(values, 24, 28), java.util.Arrays.copyOfRange(values, 28, 32)}));
    });
    String message = failure(model, QuantizationMode.NONE, QuantizationOptions.defaults()).getMessage();
    assertTrue(message.contains("weights: 1 NaN and 1 infinite of 32 values"), message);
  }

  @Test
  void calibrationFileThatIsNotNumericIsRejected() throws IOException {
    Path calibration = Files.createDirectories(dir.resolve("calibration-text"));
    byte[] header = "\u0093NUMPY\u0001\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    String dict = "{'descr': '<U8', 'fortran_order': False, 'shape': (1, 24, 24, 3), }";
    byte[] bytes = new byte[header.length + 2 + dict.length() + 24 * 24 * 3 * 32];
    System.arraycopy(header, 0, bytes, 0, header.length);
    bytes[8] = (byte) dict.length();
    System.arraycopy(dict.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 10, dict.length());
    Files.write(calibration.resolve("sample.npy"), bytes);
    QuantizationOptions options = QuantizationOptions.defaults().withCalibration(new CalibrationSettings(calibration, 8, 0, 0, 1));
    String message = failure(rnet, QuantizationMode.INT8, options).getMessage();
    assertTrue(message.contains("sample.npy holds dtype 'U8'"), message);
  }

  @Test
  void notAModelAtAll() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.pb"), "this is not a graph");
    String message = failure(text, QuantizationMode.NONE, QuantizationOptions.defaults()).getMessage();
    assertTrue(message.contains("notes.pb") && (message.contains("not a readable GraphDef") || message.contains("empty graph")), message);
    Path fakeTflite = Files.writeString(dir.resolve("fake.tflite"), "TFL3 but not really");
    String tfliteMessage = failure(fakeTflite, QuantizationMode.FLOAT16, QuantizationOptions.defaults()).getMessage();
    assertTrue(tfliteMessage.contains("is not a TensorFlow Lite model"), tfliteMessage);
  }

  /**
   * A damaged converted file handed to validation (truncated, or with bytes flipped across its tables) is refused with
   * the file's name before the interpreter runs it; the JVM survives every case.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 2, 3, 4, 5})
  void damagedTfliteIsRefusedByValidation(long seed) throws IOException {
    Path good = dir.resolve("to-damage.tflite");
    if (!Files.exists(good)) {
      Tflite.convert(rnet, QuantizationMode.DYNAMIC_RANGE, good);
    }
    byte[] bytes = Files.readAllBytes(good);
    byte[] damaged;
    if (seed == 0) {
      damaged = java.util.Arrays.copyOf(bytes, bytes.length / 3);
    } else {
      damaged = bytes.clone();
      java.util.Random random = new java.util.Random(seed);
      for (int i = 0; i < 64; i++) {
        int at = 8 + random.nextInt(Math.min(4096, damaged.length - 8)); // the tables, not the weights
        damaged[at] = (byte) random.nextInt(256);
      }
    }
    Path bad = Files.write(dir.resolve("damaged-" + seed + ".tflite"), damaged);
    try {
      dev.tflite.validation.report.ValidationReport report = new dev.tflite.validation.ModelValidator().validate(
          new dev.tflite.validation.ValidationRequest("damaged", rnet, "rnet", List.of("serve"), bad, "dynamic-range", 2, 1, -1, 1,
              dev.tflite.validation.compare.Tolerance.defaultFor("int8")));
      // a flip that leaves a valid model (a changed number) is fine, as long as it is measured
      assertTrue(report.outputs().size() > 0);
    } catch (dev.tflite.validation.ValidationException e) {
      assertTrue(e.getMessage().contains("damaged-" + seed + ".tflite"), e.getMessage());
    }
  }

  /** A damaged original .tflite is refused by the current runtime's verifier, never read by native code. */
  @Test
  void damagedOriginalTfliteIsRefusedByValidation() throws IOException {
    Path good = dir.resolve("good-candidate.tflite");
    Tflite.convert(rnet, QuantizationMode.DYNAMIC_RANGE, good);
    byte[] bytes = Files.readAllBytes(good);
    Path original = Files.write(dir.resolve("damaged-original.tflite"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    dev.tflite.validation.ValidationException e = assertThrows(dev.tflite.validation.ValidationException.class,
        () -> new dev.tflite.validation.ModelValidator().validate(new dev.tflite.validation.ValidationRequest("damaged", original, "original",
            List.of("serve"), good, "dynamic-range", 2, 1, -1, 1, dev.tflite.validation.compare.Tolerance.defaultFor("int8"))));
    assertTrue(e.getMessage().contains("damaged-original.tflite") && e.getMessage().contains("not a valid TensorFlow Lite flatbuffer"), e.getMessage());
  }

  @Test
  void repeatedFailuresLeaveTheJvmUsable() {
    // after every bad input above, a good model still converts in the same JVM
    Path out = dir.resolve("still-fine.tflite");
    Tflite.convert(rnet, QuantizationMode.DYNAMIC_RANGE, out);
    assertEquals("TFL3", new String(readPrefix(out), 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] readPrefix(Path p) {
    try {
      return java.util.Arrays.copyOf(Files.readAllBytes(p), 8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
