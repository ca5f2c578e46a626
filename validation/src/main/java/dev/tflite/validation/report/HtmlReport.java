package dev.tflite.validation.report;

import dev.tflite.validation.compare.Tolerance;
import java.util.Arrays;

/** A stand-alone HTML page for one model (no scripts, no network): verdict, drift per output against tolerance. */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(ValidationReport r) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>").append(Html.escape(r.model())).append(" <span class=\"verdict ").append(r.passed() ? "pass\">PASSED" : "fail\">FAILED")
        .append("</span></h1>\n<p class=\"sub\">").append(Html.escape(r.source())).append(" → ").append(Html.escape(r.model())).append(".tflite</p>\n");
    b.append("<dl><dt>Quantization</dt><dd>").append(Html.escape(r.quantization())).append("</dd>")
        .append("<dt>Size</dt><dd>").append(r.sizeBytes()).append(" bytes</dd>")
        .append("<dt>Signature</dt><dd>").append(Html.escape(r.signature())).append("</dd>")
        .append("<dt>Inputs</dt><dd>");
    for (ValidationReport.Port p : r.inputs()) {
      b.append(Html.escape(p.name())).append(' ').append(p.type()).append(Arrays.toString(p.shape())).append("<br>");
    }
    b.append("</dd><dt>Samples</dt><dd>").append(r.samples()).append(" seeded random (seed ").append(r.seed()).append("), uniform in [")
        .append(Html.number(r.inputRange()[0])).append(", ").append(Html.number(r.inputRange()[1])).append("]</dd>")
        .append("<dt>Compared</dt><dd>").append(Html.escape(r.runtimes().reference())).append(" vs ").append(Html.escape(r.runtimes().candidate()))
        .append("</dd></dl>\n");
    b.append("<h2>Drift per output</h2>\n<table><thead><tr><th>Output</th><th>Shape</th><th>Max abs</th><th>Mean abs</th><th>RMSE</th>"
        + "<th>Cosine</th><th>Max abs vs tolerance</th><th>Verdict</th></tr></thead><tbody>\n");
    for (OutputDrift o : r.outputs()) {
      b.append("<tr><td>").append(Html.escape(o.name())).append("</td><td>").append(Arrays.toString(o.shape())).append("</td>")
          .append(cell(o.maxAbsError())).append(cell(o.meanAbsError())).append(cell(o.rmse())).append(cell(o.cosineSimilarity()))
          .append("<td>").append(bar(o.maxAbsError(), o.tolerance().maxAbsError())).append("</td><td class=\"")
          .append(o.passed() ? "pass\">pass" : "fail\">fail").append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    if (!r.passed()) {
      b.append("<h2>Why it failed</h2>\n<ul>\n");
      for (OutputDrift o : r.failingOutputs()) {
        for (Tolerance.Violation v : o.violations()) {
          b.append("<li><b>").append(Html.escape(o.name())).append("</b>: ").append(v.metric()).append(" = ").append(Html.number(v.value()))
              .append(v.metric().equals("cosineSimilarity") ? " is below the minimum " : " exceeds the tolerance ").append(Html.number(v.limit()))
              .append("</li>\n");
        }
      }
      b.append("</ul>\n<p>Raise the tolerance in the model's <code>&lt;tolerance&gt;</code> if this drift is acceptable, or choose a "
          + "less aggressive <code>&lt;quantization&gt;</code> mode.</p>\n");
    }
    return Html.page(r.model() + " drift report", b.toString());
  }

  private static String cell(double v) {
    return "<td class=\"num\">" + Html.number(v) + "</td>";
  }

  /** Error as a fraction of the tolerance: green under it, red over it. */
  private static String bar(double value, Double limit) {
    if (limit == null || limit <= 0) {
      return "—";
    }
    double fraction = Math.min(1.0, value / limit);
    String color = value <= limit ? "#2e9d5b" : "#c8372d";
    return String.format(java.util.Locale.ROOT, "<span class=\"bar\"><span style=\"width:%.1f%%;background:%s\"></span></span> %s / %s",
        Double.isFinite(fraction) ? fraction * 100 : 100.0, color, Html.number(value), Html.number(limit));
  }
}
