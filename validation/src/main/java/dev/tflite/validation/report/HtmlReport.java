package dev.tflite.validation.report;

import dev.tflite.validation.compare.Tolerance;
import java.util.Arrays;

/**
 * A stand-alone HTML page for one model (no scripts, no network): the verdict and where drift starts, drift per
 * output against tolerance with conversion and quantization error apart, error histograms, the per-layer chart and
 * the model's facts. Numbers match the JSON report.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(ValidationReport r) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>").append(Html.escape(r.model())).append(" <span id=\"verdict\" class=\"verdict ").append(r.passed() ? "pass\">PASSED" : "fail\">FAILED")
        .append("</span></h1>\n<p class=\"sub\">").append(Html.escape(r.source())).append(" → ").append(Html.escape(r.model())).append(".tflite</p>\n");
    for (String note : r.diagnostics()) {
      b.append("<p class=\"callout diagnostic\">").append(Html.escape(note)).append("</p>\n");
    }
    if (r.firstDriftingLayer() != null) {
      r.layers().stream().filter(LayerDrift::flagged).findFirst().ifPresent(l -> b.append("<p class=\"callout\">Drift starts at layer <b id=\"first-layer\">")
          .append(Html.escape(l.origin())).append("</b> (").append(Html.escape(l.op())).append(", ").append(Html.escape(l.type()))
          .append("): normalized error ").append(Html.number(l.normalizedError()))
          .append(l.rmseOverScale() == null ? "" : ", RMSE " + Html.number(l.rmseOverScale()) + " quantization steps")
          .append(". Keep it in float with <code>&lt;keepFloat&gt;&lt;nodes&gt;&lt;node&gt;").append(Html.escape(nodePattern(l.origin())))
          .append("&lt;/node&gt;&lt;/nodes&gt;&lt;/keepFloat&gt;</code> or let <code>&lt;onDrift&gt;fallback&lt;/onDrift&gt;</code> do it.</p>\n"));
    }
    if (r.fallback() != null) {
      b.append("<p class=\"callout\">").append(r.fallback().firstDriftingLayer() == null ? ""
              : "Before the fallback, drift started at layer <b id=\"fallback-first-layer\">" + Html.escape(r.fallback().firstDriftingLayer()) + "</b>. ")
          .append("Fallback kept <b id=\"fallback-layers\">").append(Html.escape(String.join(", ", r.fallback().keptInFloat())))
          .append("</b> in float after ").append(r.fallback().attempts()).append(" attempt(s); size ").append(r.fallback().sizeBytesBefore())
          .append(" → ").append(r.fallback().sizeBytes()).append(" bytes; ").append(r.passed() ? "now within tolerance." : "still beyond tolerance.")
          .append("</p>\n");
    }
    b.append("<dl><dt>Quantization</dt><dd>").append(Html.escape(r.quantization())).append("</dd>")
        .append("<dt>Size</dt><dd id=\"size\">").append(r.sizeBytes()).append(" bytes</dd>")
        .append("<dt>Signature</dt><dd>").append(r.signature() == null ? "none (the .tflite has no SignatureDef)" : Html.escape(r.signature())).append("</dd>")
        .append("<dt>Inputs</dt><dd>");
    for (ValidationReport.Port p : r.inputs()) {
      b.append(Html.escape(p.name())).append(' ').append(p.type()).append(Arrays.toString(p.shape()))
          .append(p.matchedBy() == null || p.matchedBy().equals("signature") ? ""
              : " — fed as the original's <code>" + Html.escape(p.original()) + "</code> (matched by " + Html.escape(p.matchedBy()) + ")")
          .append(p.alsoRunAt() == null ? "" : "; also resized to " + Arrays.toString(p.alsoRunAt()) + " (its open dimensions)")
          .append("<br>");
    }
    b.append("</dd><dt>Samples</dt><dd>").append(r.samples()).append(" seeded random (seed ").append(r.seed()).append("), uniform in [")
        .append(Html.number(r.inputRange()[0])).append(", ").append(Html.number(r.inputRange()[1])).append("]</dd>")
        .append("<dt>Compared</dt><dd>").append(Html.escape(r.runtimes().reference())).append(" vs ").append(Html.escape(r.runtimes().candidate()))
        .append(r.runtimes().oldest() == null ? "" : "; the file also loads in " + Html.escape(r.runtimes().oldest()) + ", the oldest runtime supported, "
            + (r.runtimes().oldestSamples() == 0 ? "not run there" : "and its first " + r.runtimes().oldestSamples() + " sample(s) ran there too"))
        .append("</dd></dl>\n");
    b.append("<h2>Drift per output</h2>\n<table id=\"outputs\"><thead><tr><th>Output</th><th>Shape</th><th>Max abs</th><th>Mean abs</th><th>RMSE</th>"
        + "<th>Cosine</th><th>SNR dB</th><th>Top-1</th><th>Conversion (max abs)</th><th>Quantization (max abs)</th><th>Oldest runtime (max abs)</th><th>Error budget used</th>"
        + "<th>Verdict</th></tr></thead><tbody>\n");
    for (OutputDrift o : r.outputs()) {
      b.append("<tr data-output=\"").append(Html.escape(o.name())).append("\"><td>").append(Html.escape(o.name())).append("</td><td>")
          .append(Arrays.toString(o.shape())).append("</td>")
          .append(cell(o.maxAbsError(), "max-abs")).append(cell(o.meanAbsError(), "mean-abs")).append(cell(o.rmse(), "rmse"))
          .append(cell(o.cosineSimilarity(), "cosine")).append(cell(o.snrDb(), "snr"))
          .append(o.top1Agreement() == null ? "<td>—</td>" : cell(o.top1Agreement(), "top1"))
          .append(o.conversion() == null ? "<td>—</td>" : cell(o.conversion().maxAbsError(), "conversion"))
          .append(o.quantization() == null ? "<td>—</td>" : cell(o.quantization().maxAbsError(), "quantization"))
          .append(o.oldestRuntime() == null ? "<td>—</td>" : cell(o.oldestRuntime().maxAbsError(), "oldest-runtime"))
          .append("<td>").append(bar(o.budgetUsed(), o.tolerance().summary())).append("</td><td class=\"")
          .append(o.passed() ? "pass\">pass" : "fail\">fail").append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    for (String line : PortPairing.lines(r)) {
      b.append("<p class=\"sub pairing\">").append(Html.escape(line)).append("</p>\n");
    }
    if (!r.passed()) {
      b.append("<h2>Why it failed</h2>\n<ul>\n");
      for (OutputDrift o : r.failingOutputs()) {
        for (Tolerance.Violation v : o.violations()) {
          b.append("<li><b>").append(Html.escape(o.name())).append("</b>: ").append(v.metric()).append(" = ").append(Html.number(v.value()))
              .append(v.isMinimum() ? " is below the minimum " : " exceeds the tolerance ").append(Html.number(v.limit())).append("</li>\n");
        }
      }
      if (r.baseline() != null && !r.baseline().passed()) {
        if (r.baseline().note() != null) {
          b.append("<li>").append(Html.escape(r.baseline().note())).append("</li>\n");
        }
        for (BaselineReport.Output o : r.baseline().outputs()) {
          for (Tolerance.Violation v : o.violations()) {
            b.append("<li><b>").append(Html.escape(o.name())).append("</b> against the baseline: ").append(v.metric()).append(" = ")
                .append(Html.number(v.value())).append(v.isMinimum() ? " is below the minimum " : " exceeds the tolerance ")
                .append(Html.number(v.limit())).append("</li>\n");
          }
        }
      }
      b.append("</ul>\n<p>Raise the model's tolerance if this drift is acceptable, choose a less aggressive quantization mode, or keep the"
          + " first drifting layer in float.</p>\n");
    }
    ReleaseSections.baseline(r, b);
    ReleaseSections.metadata(r, b);
    b.append("<h2>Error distribution</h2>\n");
    for (OutputDrift o : r.outputs()) {
      b.append("<figure><figcaption>").append(Html.escape(o.name())).append("</figcaption>").append(Svg.histogram(o.histogram())).append("</figure>\n");
    }
    if (!r.layers().isEmpty()) {
      b.append("<h2>Drift per layer</h2>\n<p class=\"sub\">Normalized error (RMSE over the reference's RMS) of each layer's output, in execution order"
          + " (first " + Math.min(8, r.samples()) + " samples).</p>\n").append(Svg.layers(r.layers()))
          .append("\n<table id=\"layers\"><thead><tr><th>Layer</th><th>Op</th><th>Type</th><th>Max abs</th><th>RMSE</th><th>Normalized</th>"
              + "<th>RMSE / scale</th></tr></thead><tbody>\n");
      for (LayerDrift l : r.layers()) {
        b.append("<tr").append(l.flagged() ? " class=\"flagged\"" : "").append("><td>").append(Html.escape(l.origin())).append("</td><td>")
            .append(Html.escape(l.op())).append("</td><td>").append(Html.escape(l.type())).append("</td>").append(cell(l.maxAbsError(), null))
            .append(cell(l.rmse(), null)).append(cell(l.normalizedError(), null))
            .append(l.rmseOverScale() == null ? "<td>—</td>" : cell(l.rmseOverScale(), null)).append("</tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    if (r.facts() != null) {
      b.append("<h2>Model</h2>\n<dl><dt>Operators</dt><dd>");
      r.facts().ops().forEach((op, n) -> b.append(Html.escape(op)).append(" × ").append(n).append("<br>"));
      b.append("</dd><dt>Weights by type</dt><dd>");
      r.facts().weightBytesByType().forEach((t, n) -> b.append(Html.escape(t)).append(": ").append(n).append(" bytes<br>"));
      b.append("</dd><dt>Tensors</dt><dd>").append(r.facts().tensors()).append("</dd></dl>\n");
    }
    return Html.page(r.model() + " drift report", b.toString());
  }

  /** A regular expression matching exactly this node name, readable when the name needs no escaping. */
  static String nodePattern(String node) {
    return node.matches("[A-Za-z0-9_/\\-]+") ? node : java.util.regex.Pattern.quote(node);
  }

  private static String cell(double v, String metric) {
    return "<td class=\"num\"" + (metric == null ? "" : " data-metric=\"" + metric + "\" data-value=\"" + v + "\"") + ">" + Html.number(v) + "</td>";
  }

  /** The share of the error budget used: green under the tolerance, red over it, with the limits it is held to. */
  private static String bar(double used, String limits) {
    if (limits.equals("-")) {
      return "—";
    }
    double fraction = Math.min(1.0, used);
    String color = used <= 1 ? "#2e9d5b" : "#c8372d";
    return String.format(java.util.Locale.ROOT, "<span class=\"bar\"><span style=\"width:%.1f%%;background:%s\"></span></span> %.0f%% of %s",
        Double.isFinite(fraction) ? fraction * 100 : 100.0, color, Double.isFinite(used) ? used * 100 : 999.0, Html.escape(limits));
  }
}
