package dev.tflite.validation.report;

import java.util.Locale;

/** Escaping and number formatting shared by the HTML pages. */
final class Html {
  static final String STYLE = """
      body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2330;max-width:70rem}
      h1{font-size:1.5rem;margin-bottom:.2rem} .sub{color:#5b6475;margin-top:0}
      table{border-collapse:collapse;width:100%;margin:1rem 0} th,td{padding:.45rem .6rem;border-bottom:1px solid #e3e6ec;text-align:left}
      th{background:#f5f6f9;font-weight:600} td.num{font-variant-numeric:tabular-nums;text-align:right}
      .pass{color:#0b7a3e;font-weight:600} .fail{color:#b3261e;font-weight:600}
      .verdict{display:inline-block;padding:.3rem .8rem;border-radius:1rem;color:#fff;font-weight:700}
      .verdict.pass{background:#0b7a3e;color:#fff} .verdict.fail{background:#b3261e;color:#fff}
      .bar{background:#eef0f4;border-radius:3px;height:.7rem;width:10rem;position:relative;display:inline-block;vertical-align:middle}
      .bar span{position:absolute;left:0;top:0;bottom:0;border-radius:3px}
      dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem} dt{color:#5b6475}
      .callout{background:#fff4e5;border-left:4px solid #e8a33d;padding:.6rem .9rem} tr.flagged td{background:#fdecea}
      figure{display:inline-block;margin:0 1.5rem 1rem 0} figcaption{font-weight:600;margin-bottom:.3rem}
      """;

  private Html() {}

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>" + STYLE
        + "</style></head><body>\n" + body + "</body></html>\n";
  }
}
