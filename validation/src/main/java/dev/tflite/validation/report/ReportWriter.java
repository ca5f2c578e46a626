package dev.tflite.validation.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code <model>.json}, {@code <model>.html} and {@code TEST-tflite-<model>.xml} (JUnit) per model and
 * {@code index.html} over all of them.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static Path write(Path directory, ValidationReport report) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve(report.model() + ".json");
    Files.writeString(json, JsonReport.toJson(report), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve(report.model() + ".html"), HtmlReport.render(report), StandardCharsets.UTF_8);
    Files.writeString(directory.resolve("TEST-tflite-" + report.model() + ".xml"), JUnitReport.render(report), StandardCharsets.UTF_8);
    return json;
  }

  public static void writeIndex(Path directory, List<ValidationReport> reports) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("index.html"), IndexPage.render(reports), StandardCharsets.UTF_8);
  }
}
