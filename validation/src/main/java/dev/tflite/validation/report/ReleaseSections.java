package dev.tflite.validation.report;

import dev.tflite.validation.compare.Tolerance;
import java.util.Arrays;

/** The HTML report's release sections: the metadata an app team ships, and the comparison with the previous release. */
final class ReleaseSections {
  private ReleaseSections() {}

  static void metadata(ValidationReport r, StringBuilder b) {
    EmbeddedMetadata m = r.metadata();
    if (m == null) {
      return;
    }
    b.append("<h2>Metadata</h2>\n<dl id=\"metadata\">");
    item(b, "Name", m.name());
    item(b, "Version", m.version());
    item(b, "Author", m.author());
    item(b, "License", m.license());
    item(b, "Description", m.description());
    for (EmbeddedMetadata.TensorInfo t : m.inputs()) {
      if (t != null) {
        item(b, "Input " + t.name(), tensor(t));
      }
    }
    for (EmbeddedMetadata.TensorInfo t : m.outputs()) {
      if (t != null) {
        item(b, "Output " + t.name(), tensor(t));
      }
    }
    b.append("</dl>\n");
    for (LabeledOutput o : r.labeledOutputs()) {
      b.append("<table class=\"labels\" data-output=\"").append(Html.escape(o.output())).append("\"><caption>Top-1 class of ")
          .append(Html.escape(o.output())).append(" (").append(Html.escape(o.labelsFile())).append("), agreement ")
          .append(o.top1Agreement() == null ? "—" : Html.number(o.top1Agreement()))
          .append("</caption><thead><tr><th>Sample</th><th>Original</th><th>Converted</th></tr></thead><tbody>\n");
      for (LabeledOutput.Top1 t : o.firstSamples()) {
        b.append("<tr").append(t.reference().equals(t.candidate()) ? "" : " class=\"flagged\"").append("><td>").append(t.sample()).append("</td><td>")
            .append(Html.escape(t.reference())).append(" (").append(Html.number(t.referenceScore())).append(")</td><td>")
            .append(Html.escape(t.candidate())).append(" (").append(Html.number(t.candidateScore())).append(")</td></tr>\n");
      }
      b.append("</tbody></table>\n");
    }
  }

  static void baseline(ValidationReport r, StringBuilder b) {
    BaselineReport base = r.baseline();
    if (base == null) {
      return;
    }
    b.append("<h2>Against the previous release</h2>\n<div id=\"baseline\">");
    if (base.note() != null) {
      b.append("<p class=\"callout\">").append(Html.escape(base.note())).append("</p></div>\n");
      return;
    }
    b.append("<dl><dt>Baseline</dt><dd>").append(Html.escape(base.file())).append(", ").append(base.sizeBytes()).append(" bytes</dd>")
        .append("<dt>Size</dt><dd data-metric=\"size-ratio\">× ").append(Html.number(base.sizeRatio())).append("</dd>")
        .append("<dt>Latency</dt><dd data-metric=\"latency-ratio\">× ").append(Html.number(base.latencyRatio())).append(" (median of 10 runs each)</dd>")
        .append("<dt>Op changes</dt><dd>").append(base.opChanges().isEmpty() ? "none" : Html.escape(ConsoleTable.opChanges(base))).append("</dd></dl>\n")
        .append("<table><thead><tr><th>Output</th><th>Max abs</th><th>Mean abs</th><th>RMSE</th><th>Cosine</th><th>Top-1</th><th>Tolerance</th>"
            + "<th>Verdict</th></tr></thead><tbody>\n");
    for (BaselineReport.Output o : base.outputs()) {
      b.append("<tr data-output=\"").append(Html.escape(o.name())).append("\"><td>").append(Html.escape(o.name())).append("</td><td>")
          .append(Html.number(o.maxAbsError())).append("</td><td>").append(Html.number(o.meanAbsError())).append("</td><td>")
          .append(Html.number(o.rmse())).append("</td><td>").append(Html.number(o.cosineSimilarity())).append("</td><td>")
          .append(o.top1Agreement() == null ? "—" : Html.number(o.top1Agreement())).append("</td><td>")
          .append(o.tolerance() == null ? "report only" : Html.escape(o.tolerance().summary())).append("</td><td class=\"")
          .append(o.passed() ? "pass\">pass" : "fail\">fail").append("</td></tr>\n");
      for (Tolerance.Violation v : o.violations()) {
        b.append("<tr class=\"flagged\"><td colspan=\"8\">").append(Html.escape(v.metric())).append(" = ").append(Html.number(v.value()))
            .append(v.isMinimum() ? " is below the minimum " : " exceeds the tolerance ").append(Html.number(v.limit())).append("</td></tr>\n");
      }
    }
    b.append("</tbody></table></div>\n");
  }

  private static String tensor(EmbeddedMetadata.TensorInfo t) {
    StringBuilder s = new StringBuilder();
    if (t.content() != null) {
      s.append(t.content()).append(t.colorSpace() == null ? "" : " " + t.colorSpace()).append("; ");
    }
    if (t.mean() != null) {
      s.append("normalized (x - ").append(Arrays.toString(t.mean())).append(") / ").append(Arrays.toString(t.std())).append("; ");
    }
    if (t.min() != null) {
      s.append("values ").append(Html.number(t.min())).append(" to ").append(Html.number(t.max())).append("; ");
    }
    if (t.labelsFile() != null) {
      s.append("labels ").append(t.labelsFile()).append(t.labels() == null ? "" : " (" + t.labels().size() + " classes)");
    }
    return s.toString().replaceAll("; $", "");
  }

  private static void item(StringBuilder b, String term, String value) {
    if (value != null && !value.isEmpty()) {
      b.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(Html.escape(value)).append("</dd>");
    }
  }
}
