package dev.tflite.validation.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts (no scripts, no network), so the HTML report stands alone. */
final class Svg {
  private Svg() {}

  /** Vertical bars of an error histogram with log-scale bin labels. */
  static String histogram(Histogram h) {
    int width = 420;
    int height = 120;
    int bins = h.counts().length;
    long max = 1;
    for (long c : h.counts()) {
      max = Math.max(max, c);
    }
    double barWidth = (width - 40.0) / bins;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "<svg class=\"histogram\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>absolute error histogram</title>", width,
        height + 30, width, height + 30));
    for (int i = 0; i < bins; i++) {
      double barHeight = h.counts()[i] == 0 ? 0 : Math.max(1, (double) h.counts()[i] / max * height);
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78c2\"><title>[%s, %s): %d</title></rect>",
          30 + i * barWidth, height - barHeight, barWidth - 2, barHeight, Html.number(h.edges()[i]), Html.number(h.edges()[i + 1]), h.counts()[i]));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"%d\" font-size=\"10\">0</text>", height + 14));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", width - 10, height + 14,
        Html.number(h.edges()[bins])));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">absolute error (log bins)</text>", width / 2,
        height + 27));
    return b.append("</svg>").toString();
  }

  /** Horizontal bars of normalized error per layer in execution order; the flagged layer in red. */
  static String layers(List<LayerDrift> layers) {
    int rowHeight = 16;
    int labelWidth = 260;
    int barSpace = 300;
    int height = layers.size() * rowHeight + 10;
    double max = 1e-9;
    for (LayerDrift l : layers) {
      if (Double.isFinite(l.normalizedError())) {
        max = Math.max(max, l.normalizedError());
      }
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "<svg class=\"layers\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>normalized error per layer</title>",
        labelWidth + barSpace + 80, height, labelWidth + barSpace + 80, height));
    for (int i = 0; i < layers.size(); i++) {
      LayerDrift l = layers.get(i);
      double value = Double.isFinite(l.normalizedError()) ? l.normalizedError() : max;
      double w = Math.max(1, value / max * barSpace);
      int y = i * rowHeight + 4;
      String label = l.origin().length() > 40 ? "…" + l.origin().substring(l.origin().length() - 39) : l.origin();
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>", labelWidth - 6, y + 11, Html.escape(label)));
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"><title>%s %s: normalized error %s</title></rect>",
          labelWidth, y, w, l.flagged() ? "#c8372d" : "#4a78c2", Html.escape(l.op()), Html.escape(l.origin()), Html.number(l.normalizedError())));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>", labelWidth + w + 4, y + 10, Html.number(l.normalizedError())));
    }
    return b.append("</svg>").toString();
  }
}
