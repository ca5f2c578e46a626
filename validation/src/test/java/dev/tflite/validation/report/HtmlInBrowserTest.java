package dev.tflite.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report loaded in a headless browser (HtmlUnit, from Maven Central, so the test needs nothing outside the
 * build): the page parses as a browser parses it, the numbers the DOM shows are the JSON report's numbers, the charts
 * are inline SVG, and the page asks for nothing from the network.
 */
class HtmlInBrowserTest {
  @TempDir
  Path dir;

  @Test
  void showsTheJsonNumbers() throws Exception {
    ValidationReport report = ReportFormatTest.report(false);
    Path html = dir.resolve("rnet.html");
    Files.writeString(html, HtmlReport.render(report));
    JsonNode json = new JsonMapper().readTree(JsonReport.toJson(report));

    try (WebClient browser = new WebClient(BrowserVersion.BEST_SUPPORTED)) {
      browser.getOptions().setThrowExceptionOnScriptError(true);
      browser.getOptions().setCssEnabled(true);
      // a stand-alone report: any request beyond the file itself would fail the test
      browser.setWebConnection(new FileOnlyConnection(browser.getWebConnection(), html.toUri().toString()));
      HtmlPage page = browser.getPage(html.toUri().toURL());

      DomElement verdict = page.getElementById("verdict");
      assertNotNull(verdict, "verdict shown");
      assertEquals("FAILED", verdict.asNormalizedText());
      assertEquals(json.get("outputs").get(0).get("maxAbsError").asDouble(), metric(page, "max-abs"));
      assertEquals(json.get("outputs").get(0).get("rmse").asDouble(), metric(page, "rmse"));
      assertEquals(json.get("firstDriftingLayer").asText(), page.getElementById("first-layer").asNormalizedText(), "first drifting layer named");

      List<DomNode> layerRows = page.querySelectorAll("tr").stream()
          .filter(row -> row.querySelector("td:nth-child(2)") != null
              && row.querySelector("td:nth-child(2)").asNormalizedText().matches("CONV_2D|FULLY_CONNECTED"))
          .toList();
      assertEquals(json.get("layers").size(), layerRows.size(), "one row per compared layer");
      assertTrue(page.querySelector("svg.histogram") != null && page.querySelector("svg.layers") != null, "charts rendered inline");
      assertTrue(page.querySelectorAll("script").isEmpty(), "no scripts in a stand-alone report");
    }
  }

  private static double metric(HtmlPage page, String name) {
    DomNode cell = page.querySelector("[data-metric=\"" + name + "\"]");
    assertNotNull(cell, name + " cell rendered");
    return Double.parseDouble(((DomElement) cell).getAttribute("data-value"));
  }
}
