package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ConversionRequest;
import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.RNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over every importer that parses untrusted bytes: SavedModel ({@code saved_model.pb}),
 * frozen GraphDef, Keras 2 HDF5 ({@code .h5}) and Keras 3 ({@code .keras}: its {@code config.json} and its HDF5
 * weights, re-zipped). Mutations are byte flips, truncations, insertions and duplicated chunks of real model files, and
 * for JSON also changed numbers. Every mutant must convert or fail with a {@link ConversionException} within
 * {@link #LIMIT_SECONDS}; any other exception, an error or a hang is a bug, reported with the seed that reproduces it
 * (add it to {@link #REGRESSIONS}). Runs for {@code -Dtflite.fuzz.seconds} (default 20 in CI; longer on demand).
 */
class ImporterFuzzTest {
  /** Seeds that once found a bug, replayed on every run. */
  static final long[] REGRESSIONS = {73, 136, 437, 736}; // malformed Keras 3 configs: numbers, nulls, a missing axis
  /** Seeds found when only the two graph importers were fuzzed (first draw: SavedModel or GraphDef), replayed that way. */
  static final long[] GRAPH_REGRESSIONS = {526, 649, 1776};
  static final long LIMIT_SECONDS = 60;

  @TempDir
  Path dir;

  private interface Target {
    /** Writes a mutant of this target's model for {@code random} and returns the source to convert. */
    Path mutant(SplittableRandom random) throws IOException;
  }

  @Test
  void mutatedModelsNeverEscapeAsAnythingButAConversionError() throws Exception {
    Map<String, Target> targets = targets();
    List<String> names = List.copyOf(targets.keySet());
    long seconds = Long.getLong("tflite.fuzz.seconds", 20);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<String> escapes = new ArrayList<>();
    Map<String, Integer> runs = new LinkedHashMap<>();
    java.util.ArrayDeque<long[]> replays = new java.util.ArrayDeque<>(); // {seed, 1 if graph-only}
    Arrays.stream(GRAPH_REGRESSIONS).forEach(g -> replays.add(new long[] {g, 1}));
    Arrays.stream(REGRESSIONS).forEach(r -> replays.add(new long[] {r, 0}));
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-conversion");
      t.setDaemon(true);
      return t;
    });
    try {
      for (long seed = 1; (System.nanoTime() < deadline || !replays.isEmpty()) && escapes.size() < 10; seed++) {
        long[] replay = replays.poll();
        long s = replay == null ? seed : replay[0];
        boolean graphOnly = replay != null && replay[1] == 1;
        SplittableRandom random = new SplittableRandom(s);
        String target = graphOnly ? (random.nextBoolean() ? "saved_model.pb" : "frozen .pb") : names.get(random.nextInt(names.size()));
        Path source = targets.get(target).mutant(random);
        Future<?> conversion = worker.submit(() -> Tflite.convert(ConversionRequest.of("fuzz", source, QuantizationMode.DYNAMIC_RANGE,
            dir.resolve("fuzz.tflite"))));
        try {
          conversion.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof ConversionException)) {
            Throwable cause = e.getCause();
            StackTraceElement at = Arrays.stream(cause.getStackTrace()).filter(f -> f.getClassName().startsWith("dev.tflite")).findFirst()
                .orElse(cause.getStackTrace().length > 0 ? cause.getStackTrace()[0] : null);
            escapes.add("seed " + s + " (" + target + "): " + cause + " at " + at);
          }
        } catch (TimeoutException e) {
          escapes.add("seed " + s + " (" + target + "): no answer after " + LIMIT_SECONDS + " s");
          conversion.cancel(true);
          worker.shutdownNow();
          worker = Executors.newSingleThreadExecutor();
        }
        runs.merge(target, 1, Integer::sum);
      }
    } finally {
      worker.shutdownNow();
    }
    System.out.println("importer fuzz: " + runs + " mutants in " + seconds + " s, " + escapes.size() + " escapes");
    assertTrue(runs.values().stream().mapToInt(Integer::intValue).sum() > 0);
    assertTrue(escapes.isEmpty(), "exceptions other than ConversionException:\n" + String.join("\n", escapes));
  }

  private Map<String, Target> targets() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    byte[] savedModel = Files.readAllBytes(rnet.resolve("saved_model.pb"));
    byte[] frozen = Files.readAllBytes(Tflite.fixture("tf1-frozen-qat/frozen_model.pb"));
    byte[] h5 = Files.readAllBytes(Tflite.fixture("keras-h5-cnn/digit_classifier.h5"));
    Map<String, byte[]> keras = unzip(Tflite.fixture("keras3-cnn/best_model.keras"));
    Map<String, Target> targets = new LinkedHashMap<>();
    targets.put("saved_model.pb", random -> {
      Files.write(rnet.resolve("saved_model.pb"), mutate(savedModel, random)); // variables stay intact
      return rnet;
    });
    targets.put("frozen .pb", random -> Files.write(dir.resolve("graph.pb"), mutate(frozen, random)));
    targets.put(".h5", random -> Files.write(dir.resolve("model.h5"), mutate(h5, random)));
    targets.put(".keras config.json", random -> {
      Map<String, byte[]> entries = new LinkedHashMap<>(keras);
      byte[] config = entries.get("config.json");
      entries.put("config.json", random.nextBoolean() ? mutate(config, random) : changeNumbers(config, random));
      return zip(dir.resolve("model.keras"), entries);
    });
    targets.put(".keras weights", random -> {
      Map<String, byte[]> entries = new LinkedHashMap<>(keras);
      entries.put("model.weights.h5", mutate(entries.get("model.weights.h5"), random));
      return zip(dir.resolve("model.keras"), entries);
    });
    return targets;
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

  /** Replaces a few numbers of a JSON text (filters, kernel sizes, strides, shapes) with zero, negative or huge ones. */
  private static byte[] changeNumbers(byte[] json, SplittableRandom random) {
    String text = new String(json, StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?").matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    String[] replacements = {"0", "-1", "-7", "1", "3", "999999", "2147483647", "1e30", "0.5", "null", "\"x\"", "[]"};
    StringBuilder out = new StringBuilder(text);
    for (int i = 0, n = 1 + random.nextInt(4); i < n && !spans.isEmpty(); i++) {
      int[] span = spans.remove(random.nextInt(spans.size()));
      if (span[1] <= out.length()) {
        out.replace(span[0], span[1], replacements[random.nextInt(replacements.length)]);
        spans.removeIf(s -> s[0] >= span[0]); // later offsets moved
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, byte[]> unzip(Path file) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    return entries;
  }

  private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }
}
