package dev.tflite.validation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.validation.compare.Tolerance;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {
  public static ValidationReport report(boolean passed) {
    Tolerance t = new Tolerance(0.05, null, null, null);
    dev.tflite.validation.compare.Metrics m = new dev.tflite.validation.compare.Metrics(passed ? 0.01 : 0.2, 0.005, 0.006, 0.999, 0.2, 35, 0.01, 1.0, 1.0);
    OutputDrift out = OutputDrift.of("score<b>", new long[] {1, 2}, "float32", null, m, new OutputDrift.StageDrift(1e-7, 1e-8),
        new OutputDrift.StageDrift(0.01, 0.006), new OutputDrift.StageDrift(0.011, 0.006), t, passed ? List.of() : List.of(new Tolerance.Violation("maxAbsError", 0.2, 0.05)),
        Histogram.of(new float[] {1e-9f, 1e-4f, 0.01f, 0.2f}));
    List<LayerDrift> layers = List.of(new LayerDrift("conv1", "conv1/BiasAdd:0", "CONV_2D", "conv1/BiasAdd", "INT8", 0.01, 0.002, 0.01, 0.3, false),
        new LayerDrift("dense", "dense/BiasAdd:0", "FULLY_CONNECTED", "dense/MatMul", "INT8", 0.5, 0.2, 0.8, 9.0, true));
    return new ValidationReport("rnet", "src/main/models/rnet", "dynamic-range", passed, 1234, "serving_default", 32, List.of(1), 42,
        new double[] {0, 1}, List.of(new ValidationReport.Port("input", "float32", new int[] {1, 24, 24, 3})), List.of(out), List.of("output 'score<b>' of the converted model is the same for every input"), "dense/MatMul", layers,
        new ModelFacts(java.util.Map.of("CONV_2D", 1), java.util.Map.of("int8", 1000L), 12, "2.6.0", java.util.List.of()), null,
        new ValidationReport.Runtimes("TensorFlow 2.18.0", "TensorFlow Lite 2.18.0 (1 thread)", "TensorFlow Lite 2.6.2", 1), null, List.of(), null);
  }

  @Test
  void jsonKeysComeInTheDocumentedOrderAndRoundTrip() throws Exception {
    String json = JsonReport.toJson(report(true));
    List<String> keys = List.of("\"model\"", "\"source\"", "\"quantization\"", "\"passed\"", "\"sizeBytes\"", "\"outputs\"");
    int last = -1;
    for (String key : keys) {
      int at = json.indexOf(key);
      assertTrue(at > last, key + " out of order in " + json);
      last = at;
    }
    assertEquals(json, JsonReport.toJson(JsonReport.fromJson(json)));
  }

  @Test
  void htmlEscapesNamesAndExplainsFailures() {
    String html = HtmlReport.render(report(false));
    assertTrue(html.contains("score&lt;b&gt;"));
    assertFalse(html.contains("score<b>"));
    assertTrue(html.contains("FAILED") && html.contains("maxAbsError = 0.200 exceeds the tolerance 0.0500"), html);
    assertFalse(html.contains("http"), "the page must stand alone");
  }

  @Test
  void consoleTableHasOneLinePerOutput() {
    List<String> lines = ConsoleTable.lines(report(false));
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).contains("FAIL"));
  }
}
