package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Counts of absolute errors in logarithmic bins: {@code counts[i]} errors fall in [{@code edges[i]}, {@code edges[i+1]}). */
@JsonPropertyOrder({"edges", "counts"})
public record Histogram(double[] edges, long[] counts) {
  private static final int BINS = 12;

  /** Bins from 1e-8 (everything smaller in the first bin) up to the largest error, equal in log scale. */
  public static Histogram of(float[] sortedErrors) {
    double max = sortedErrors.length == 0 ? 1e-8 : Math.max(sortedErrors[sortedErrors.length - 1], 1e-8);
    double low = Math.min(1e-8, max);
    double[] edges = new double[BINS + 1];
    double step = (Math.log10(max) - Math.log10(low)) / BINS;
    for (int i = 0; i <= BINS; i++) {
      edges[i] = step == 0 ? low : Math.pow(10, Math.log10(low) + i * step);
    }
    edges[0] = 0;
    long[] counts = new long[BINS];
    int bin = 0;
    for (float e : sortedErrors) {
      while (bin < BINS - 1 && e >= edges[bin + 1]) {
        bin++;
      }
      counts[bin]++;
    }
    return new Histogram(edges, counts);
  }
}
