package dev.tflite.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A compact fixed-width table of one model's drift for the build log, then how ports were paired when not by SignatureDef. */
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
    return lines;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
