package dev.tflite.pipeline.incremental;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Remembers, per execution and model, the fingerprint of the inputs that produced an output and the output's own
 * hash. An entry is written only after the step succeeded, so a failed or interrupted step always runs again; the
 * format version invalidates entries written by older plugins.
 */
public final class BuildCache {
  static final String FORMAT = "tflite-cache-v1";
  private final Path directory;

  public BuildCache(Path directory) {
    this.directory = directory;
  }

  /** Whether {@code output} was produced from inputs with this fingerprint and has not changed since. */
  public boolean upToDate(String key, String fingerprint, Path output) {
    Path entry = directory.resolve(key);
    if (!Files.isRegularFile(entry) || !Files.exists(output)) {
      return false;
    }
    try {
      String[] lines = Files.readString(entry, StandardCharsets.UTF_8).split("\n");
      return lines.length == 3 && lines[0].equals(FORMAT) && lines[1].equals(fingerprint) && lines[2].equals(Fingerprint.ofFile(output));
    } catch (IOException e) {
      return false;
    }
  }

  public void record(String key, String fingerprint, Path output) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(key), FORMAT + "\n" + fingerprint + "\n" + Fingerprint.ofFile(output), StandardCharsets.UTF_8);
  }

  public void forget(String key) throws IOException {
    Files.deleteIfExists(directory.resolve(key));
  }
}
