package dev.tflite.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compact fixed-width table of one model's drift for the build log, then how ports were paired when not by SignatureDef,
 * then the comparison with the baseline.
 */
public final class ConsoleTable {
  private ConsoleTable() {}

  public static List<String> lines(ValidationReport r) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-18s %-14s %10s %10s %8s %9s  %-16s %s", "output", "shape", "max abs", "rel err", "SNR dB",
        "cosine", "tolerance", "verdict"));
    for (OutputDrift o : r.outputs()) {
      lines.add(String.format(Locale.ROOT, "%-18s %-14s %10s %10s %8s %9s  %-16s %s", clip(o.name(), 18),
          clip(java.util.Arrays.toString(o.shape()).replace(" ", ""), 14), Html.number(o.maxAbsError()), Html.number(o.relativeError()),
          Double.isInfinite(o.snrDb()) ? "inf" : String.format(Locale.ROOT, "%.1f", o.snrDb()), Html.number(o.cosineSimilarity()),
          o.tolerance().summary(), o.passed() ? "pass" : "FAIL"));
    }
    PortPairing.lines(r).forEach(lines::add);
    if (r.baseline() != null) {
      BaselineReport b = r.baseline();
      if (b.note() != null) {
        lines.add("baseline: " + b.note());
      } else {
        lines.add(String.format(Locale.ROOT, "baseline %s: size x%.3f, latency x%.2f, op changes %s", b.file(), b.sizeRatio(), b.latencyRatio(),
            b.opChanges().isEmpty() ? "none" : opChanges(b)));
        for (BaselineReport.Output o : b.outputs()) {
          lines.add(String.format(Locale.ROOT, "  vs baseline %-18s max abs %10s  cosine %9s  top-1 %6s  %s", clip(o.name(), 18), Html.number(o.maxAbsError()),
              Html.number(o.cosineSimilarity()), o.top1Agreement() == null ? "-" : Html.number(o.top1Agreement()),
              o.tolerance() == null ? "reported" : o.passed() ? "pass" : "FAIL"));
        }
      }
    }
    return lines;
  }

  static String opChanges(BaselineReport b) {
    return String.join(", ", b.opChanges().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + "->" + e.getValue()[1]).toList());
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
