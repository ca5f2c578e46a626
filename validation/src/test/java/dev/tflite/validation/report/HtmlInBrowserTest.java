package dev.tflite.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless browser (Debian's chromium, installed by .ci/run): it renders to a non-empty
 * screenshot, and the numbers the browser's DOM shows are the JSON report's numbers.
 */
class HtmlInBrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("tflite.chromium", "/usr/bin/chromium"));

  @TempDir
  Path dir;

  private String chromium(String... args) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(CHROMIUM + " is missing: install Debian's chromium (apt-get install chromium), as .ci/run does");
    }
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + dir.resolve("profile")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
    return out;
  }

  @Test
  void rendersAndShowsTheJsonNumbers() throws Exception {
    ValidationReport report = ReportFormatTest.report(false);
    Path html = dir.resolve("rnet.html");
    Files.writeString(html, HtmlReport.render(report));
    JsonNode json = new JsonMapper().readTree(JsonReport.toJson(report));

    String dom = chromium("--dump-dom", html.toUri().toString());
    assertTrue(dom.contains("id=\"verdict\"") && dom.contains(">FAILED<"), "verdict shown");
    Matcher maxAbs = Pattern.compile("data-metric=\"max-abs\" data-value=\"([^\"]+)\"").matcher(dom);
    assertTrue(maxAbs.find(), "max abs cell rendered");
    assertEquals(json.get("outputs").get(0).get("maxAbsError").asDouble(), Double.parseDouble(maxAbs.group(1)));
    Matcher rmse = Pattern.compile("data-metric=\"rmse\" data-value=\"([^\"]+)\"").matcher(dom);
    assertTrue(rmse.find());
    assertEquals(json.get("outputs").get(0).get("rmse").asDouble(), Double.parseDouble(rmse.group(1)));
    assertTrue(dom.contains("id=\"first-layer\">" + json.get("firstDriftingLayer").asText() + "<"), "first drifting layer named");
    assertEquals(json.get("layers").size(), countMatches(dom, "<tr(?: class=\"flagged\")?><td>[^<]+</td><td>(CONV_2D|FULLY_CONNECTED)"));
    assertTrue(dom.contains("<svg class=\"histogram\"") && dom.contains("<svg class=\"layers\""), "charts rendered inline");

    Path png = dir.resolve("report.png");
    chromium("--hide-scrollbars", "--window-size=1100,900", "--screenshot=" + png, html.toUri().toString());
    assertTrue(Files.size(png) > 10_000, "a real screenshot, not an empty page");
  }

  private static int countMatches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
