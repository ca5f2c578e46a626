package dev.tflite.convert.importer.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Keras importer stays organised like the files it reads: one class per layer family behind {@link LayerRegistry},
 * none so large that the next layer would go into a table again (issue 14 set the bound at 250 lines).
 */
class ImporterLayoutTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/tflite/convert/importer/keras");
  private static final int MAX_LINES = 250;

  @Test
  void noImporterClassIsOver250Lines() throws IOException {
    List<String> tooLong;
    try (Stream<Path> files = Files.list(SOURCES)) {
      tooLong = files.filter(f -> f.toString().endsWith(".java")).sorted().filter(f -> lines(f) > MAX_LINES)
          .map(f -> f.getFileName() + " (" + lines(f) + " lines)").toList();
    }
    assertTrue(Files.isDirectory(SOURCES), "run from the converter module: " + SOURCES.toAbsolutePath());
    assertEquals(List.of(), tooLong, "split these by what they do");
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
