package dev.tflite.validation.report;

import java.util.Comparator;
import java.util.List;

/** {@code index.html}: one row per model, linking to its page. */
public final class IndexPage {
  private IndexPage() {}

  public static String render(List<ValidationReport> reports) {
    StringBuilder b = new StringBuilder("<h1>TensorFlow Lite conversion reports</h1>\n<table><thead><tr><th>Model</th><th>Quantization</th>"
        + "<th>Size (bytes)</th><th>Worst max abs error</th><th>Verdict</th></tr></thead><tbody>\n");
    for (ValidationReport r : reports.stream().sorted(Comparator.comparing(ValidationReport::model)).toList()) {
      String file = Html.escape(r.model()) + ".html";
      b.append("<tr><td><a href=\"").append(file).append("\">").append(Html.escape(r.model())).append("</a></td><td>")
          .append(Html.escape(r.quantization())).append("</td><td class=\"num\">").append(r.sizeBytes()).append("</td><td class=\"num\">")
          .append(Html.number(r.worstMaxAbsError())).append("</td><td class=\"").append(r.passed() ? "pass\">passed" : "fail\">FAILED")
          .append("</td></tr>\n");
    }
    return Html.page("TensorFlow Lite conversion reports", b.append("</tbody></table>\n").toString());
  }
}
