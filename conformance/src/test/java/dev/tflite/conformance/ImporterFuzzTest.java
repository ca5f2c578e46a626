package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.RNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over the SavedModel and GraphDef importers: byte flips, truncations, insertions and
 * duplicated chunks of real model files. Every mutant must convert or fail with a {@link ConversionException}; any
 * other exception is a bug, reported with the seed that reproduces it (add it to {@link #REGRESSIONS}). Runs for
 * {@code -Dtflite.fuzz.seconds} (default 20 in CI; longer on demand).
 */
class ImporterFuzzTest {
  /** Seeds that once found a bug, replayed on every run. */
  static final long[] REGRESSIONS = {526, 649, 1776};

  @TempDir
  Path dir;

  @Test
  void mutatedModelsNeverEscapeAsAnythingButAConversionError() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    byte[] savedModel = Files.readAllBytes(rnet.resolve("saved_model.pb"));
    byte[] frozen = Files.readAllBytes(Tflite.fixture("tf1-frozen-qat/frozen_model.pb"));
    long seconds = Long.getLong("tflite.fuzz.seconds", 20);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<String> escapes = new ArrayList<>();
    int runs = 0;
    List<Long> seeds = new ArrayList<>();
    Arrays.stream(REGRESSIONS).forEach(seeds::add);
    for (long seed = 1; System.nanoTime() < deadline || seeds.size() > 0; seed++) {
      long s = seeds.isEmpty() ? seed : seeds.remove(0);
      SplittableRandom random = new SplittableRandom(s);
      boolean useSavedModel = random.nextBoolean();
      byte[] mutant = mutate(useSavedModel ? savedModel : frozen, random);
      Path source;
      if (useSavedModel) {
        source = rnet; // the mutant replaces saved_model.pb in place; variables stay intact
        Files.write(source.resolve("saved_model.pb"), mutant);
      } else {
        source = Files.write(dir.resolve("graph.pb"), mutant);
      }
      try {
        Tflite.convert(ConversionRequest.of("fuzz", source, QuantizationMode.DYNAMIC_RANGE, dir.resolve("fuzz.tflite")));
      } catch (ConversionException expected) {
        // a clear, user-facing failure
      } catch (RuntimeException | Error e) {
        StackTraceElement at = java.util.Arrays.stream(e.getStackTrace()).filter(f -> f.getClassName().startsWith("dev.tflite")).findFirst()
            .orElse(e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null);
        escapes.add("seed " + s + " (" + (useSavedModel ? "saved_model.pb" : "frozen .pb") + "): " + e + " at " + at);
      }
      runs++;
    }
    System.out.println("importer fuzz: " + runs + " mutants in " + seconds + " s, " + escapes.size() + " escapes");
    assertTrue(runs > 0);
    assertTrue(escapes.isEmpty(), "exceptions other than ConversionException:\n" + String.join("\n", escapes));
  }

  private static byte[] mutate(byte[] original, SplittableRandom random) {
    byte[] b = original.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int i = 0, n = 1 + random.nextInt(16); i < n; i++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> {
        int at = random.nextInt(b.length);
        byte[] insert = new byte[1 + random.nextInt(64)];
        random.nextBytes(insert);
        byte[] out = new byte[b.length + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at, out, at + insert.length, b.length - at);
        b = out;
      }
      default -> {
        int from = random.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + random.nextInt(256));
        int to = random.nextInt(b.length - len + 1);
        System.arraycopy(original, from, b, to, len);
      }
    }
    return b;
  }
}
