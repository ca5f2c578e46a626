package dev.tflite.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A compact fixed-width table of one model's drift for the build log. */
public final class ConsoleTable {
  private ConsoleTable() {}

  public static List<String> lines(ValidationReport r) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-18s %-14s %10s %10s %10s %9s %10s  %s", "output", "shape", "max abs", "mean abs", "rmse",
        "cosine", "tolerance", "verdict"));
    for (OutputDrift o : r.outputs()) {
      Double limit = o.tolerance().maxAbsError();
      lines.add(String.format(Locale.ROOT, "%-18s %-14s %10s %10s %10s %9s %10s  %s", clip(o.name(), 18),
          clip(java.util.Arrays.toString(o.shape()).replace(" ", ""), 14), Html.number(o.maxAbsError()), Html.number(o.meanAbsError()),
          Html.number(o.rmse()), Html.number(o.cosineSimilarity()), limit == null ? "-" : Html.number(limit), o.passed() ? "pass" : "FAIL"));
    }
    return lines;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
