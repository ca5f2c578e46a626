package dev.tflite.pipeline.incremental;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 over everything that affects an output: text settings, files, and whole directory trees. */
public final class Fingerprint {
  private final MessageDigest digest;

  private Fingerprint() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Fingerprint start() {
    return new Fingerprint();
  }

  public Fingerprint add(String label, Object value) {
    byte[] bytes = (label + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    digest.update(bytes);
    return this;
  }

  /** A file's or a directory's content: every regular file below it, by relative path, in sorted order. */
  public Fingerprint addTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return add("missing", root);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      add("file", root.relativize(file).toString().replace('\\', '/'));
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String ofFile(Path file) {
    return start().addTree(file).hex();
  }
}
