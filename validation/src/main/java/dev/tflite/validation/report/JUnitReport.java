package dev.tflite.validation.report;

import dev.tflite.validation.compare.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JUnit XML for CI dashboards: one test suite per model, one test case per output and checked metric (a failure when
 * the limit is broken), so drift shows up next to the unit tests.
 */
public final class JUnitReport {
  private JUnitReport() {}

  public static String render(ValidationReport r) {
    List<String> cases = new ArrayList<>();
    int failures = 0;
    for (OutputDrift o : r.outputs()) {
      for (Check c : checks(o)) {
        String name = xml(c.metric()) + " (" + xml(c.value()) + (c.limit() == null ? "" : (c.minimum() ? " &gt;= " : " &lt;= ") + xml(c.limit())) + ")";
        StringBuilder tc = new StringBuilder("    <testcase classname=\"tflite." + xml(r.model()) + "." + xml(o.name()) + "\" name=\"" + name + "\" time=\"0\"");
        Tolerance.Violation v = o.violations().stream().filter(x -> x.metric().equals(c.metric())).findFirst().orElse(null);
        if (v == null) {
          tc.append("/>");
        } else {
          failures++;
          tc.append(">\n      <failure message=\"").append(xml(o.name() + ": " + v.metric() + " = " + v.value() + (v.isMinimum() ? " < " : " > ") + v.limit()))
              .append("\" type=\"drift\"/>\n    </testcase>");
        }
        cases.add(tc.toString());
      }
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"tflite." + xml(r.model()) + "\" tests=\"" + cases.size() + "\" failures=\""
        + failures + "\" errors=\"0\" skipped=\"0\" time=\"0\">\n" + String.join("\n", cases) + "\n</testsuite>\n";
  }

  private record Check(String metric, String value, String limit, boolean minimum) {}

  /** Every metric with a limit, plus max abs error always (so a model without limits still reports its drift). */
  private static List<Check> checks(OutputDrift o) {
    Tolerance t = o.tolerance();
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("maxAbsError", fmt(o.maxAbsError()), fmt(t.maxAbsError()), false));
    add(checks, "meanAbsError", o.meanAbsError(), t.meanAbsError(), false);
    add(checks, "rmse", o.rmse(), t.rmse(), false);
    add(checks, "p99AbsError", o.p99AbsError(), t.p99AbsError(), false);
    add(checks, "relativeError", o.relativeError(), t.relativeError(), false);
    add(checks, "cosineSimilarity", o.cosineSimilarity(), t.minCosineSimilarity(), true);
    add(checks, "snrDb", o.snrDb(), t.minSnrDb(), true);
    if (o.top1Agreement() != null) {
      add(checks, "top1Agreement", o.top1Agreement(), t.minTop1Agreement(), true);
    }
    if (o.quantizationStep() != null) {
      add(checks, "maxAbsErrorInSteps", o.maxAbsError() / o.quantizationStep(), t.maxAbsErrorInSteps(), false);
    }
    return checks;
  }

  private static void add(List<Check> checks, String metric, double value, Double limit, boolean minimum) {
    if (limit != null) {
      checks.add(new Check(metric, fmt(value), fmt(limit), minimum));
    }
  }

  private static String fmt(Double v) {
    return v == null ? null : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String xml(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
