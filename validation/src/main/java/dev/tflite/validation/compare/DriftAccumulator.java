package dev.tflite.validation.compare;

import java.util.Arrays;

/**
 * Accumulates the element-wise difference between a reference output and a converted one over all samples. Any NaN
 * or infinity on the converted side that the reference does not have makes every metric fail. For outputs whose last
 * dimension has at least two entries, also counts per-row top-1 and top-k agreement (classifier outputs).
 */
public final class DriftAccumulator {
  /** Absolute errors kept for the quantile; beyond this many the quantile is computed on a strided sample. */
  private static final int QUANTILE_CAPACITY = 1 << 21;

  private final int classes;
  private long count;
  private double maxAbs;
  private double sumAbs;
  private double sumSquares;
  private double dot;
  private double referenceNorm;
  private double candidateNorm;
  private double maxReference;
  private boolean nonFinite;
  private float[] errors = new float[1024];
  private int stored;
  private long seen;
  private long rows;
  private long top1;
  private long topK;
  /** The reference's smallest and largest value per element over all samples: how much the inputs move the output. */
  private float[] referenceLow;
  private float[] referenceHigh;

  /** {@code lastDimension} is the size of the output's last axis (classes of a classifier). */
  public DriftAccumulator(int lastDimension) {
    this.classes = lastDimension;
  }

  public DriftAccumulator() {
    this(1);
  }

  public void add(float[] reference, float[] candidate) {
    if (reference.length != candidate.length) {
      throw new IllegalArgumentException("outputs differ in size: " + reference.length + " vs " + candidate.length);
    }
    trackSpread(reference);
    for (int i = 0; i < reference.length; i++) {
      double r = reference[i];
      double c = candidate[i];
      if (!Double.isFinite(c) || !Double.isFinite(r)) {
        if (Double.compare(r, c) != 0) {
          nonFinite = true;
        }
        continue;
      }
      double diff = Math.abs(r - c);
      maxAbs = Math.max(maxAbs, diff);
      sumAbs += diff;
      sumSquares += diff * diff;
      dot += r * c;
      referenceNorm += r * r;
      candidateNorm += c * c;
      maxReference = Math.max(maxReference, Math.abs(r));
      count++;
      keepError((float) diff);
    }
    if (classes >= 2 && reference.length % classes == 0) {
      for (int row = 0; row < reference.length / classes; row++) {
        int offset = row * classes;
        int expected = argmax(reference, offset);
        rows++;
        if (argmax(candidate, offset) == expected) {
          top1++;
        }
        if (rankOf(candidate, offset, expected) < Metrics.TOP_K) {
          topK++;
        }
      }
    }
  }

  private void trackSpread(float[] reference) {
    if (referenceLow == null) {
      referenceLow = reference.clone();
      referenceHigh = reference.clone();
      return;
    }
    if (referenceLow.length != reference.length) {
      // another batch size: spread is measured per element, over the samples of the first batch size (clearing it
      // here made every validation with several batch sizes fail its reference-spread check)
      return;
    }
    for (int i = 0; i < reference.length; i++) {
      referenceLow[i] = Math.min(referenceLow[i], reference[i]);
      referenceHigh[i] = Math.max(referenceHigh[i], reference[i]);
    }
  }

  /**
   * How far the samples moved the reference output: the largest per-element range over all samples, relative to the
   * largest reference magnitude (0 for a single sample or an output that never changes).
   */
  private double referenceSpread() {
    if (referenceLow == null || maxReference == 0) {
      return 0;
    }
    double widest = 0;
    for (int i = 0; i < referenceLow.length; i++) {
      if (Float.isFinite(referenceLow[i]) && Float.isFinite(referenceHigh[i])) {
        widest = Math.max(widest, (double) referenceHigh[i] - referenceLow[i]);
      }
    }
    return widest / maxReference;
  }

  private void keepError(float e) {
    seen++;
    if (stored < QUANTILE_CAPACITY) {
      if (stored == errors.length) {
        errors = Arrays.copyOf(errors, Math.min(QUANTILE_CAPACITY, errors.length * 2));
      }
      errors[stored++] = e;
    } else {
      // deterministic thinning: overwrite slots in a fixed stride so the kept set spans all samples
      errors[(int) (seen % QUANTILE_CAPACITY)] = e;
    }
  }

  private int argmax(float[] values, int offset) {
    int best = offset;
    for (int i = offset + 1; i < offset + classes; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best - offset;
  }

  /** How many entries of the row are strictly larger than the entry at {@code index}. */
  private int rankOf(float[] values, int offset, int index) {
    int rank = 0;
    for (int i = offset; i < offset + classes; i++) {
      if (values[i] > values[offset + index]) {
        rank++;
      }
    }
    return rank;
  }

  public Metrics metrics() {
    if (nonFinite) {
      double inf = Double.POSITIVE_INFINITY;
      return new Metrics(inf, inf, inf, Double.NEGATIVE_INFINITY, inf, Double.NEGATIVE_INFINITY, inf, rows == 0 ? null : 0.0, rows == 0 ? null : 0.0,
          referenceSpread());
    }
    double n = Math.max(count, 1);
    double cosine;
    if (referenceNorm == 0 && candidateNorm == 0) {
      cosine = 1.0;
    } else if (referenceNorm == 0 || candidateNorm == 0) {
      cosine = 0.0;
    } else {
      cosine = dot / Math.sqrt(referenceNorm * candidateNorm);
    }
    double snr = sumSquares == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(referenceNorm / sumSquares);
    double relative = maxReference == 0 ? (maxAbs == 0 ? 0 : Double.POSITIVE_INFINITY) : maxAbs / maxReference;
    float[] sorted = Arrays.copyOf(errors, stored);
    Arrays.sort(sorted);
    double p99 = stored == 0 ? 0 : sorted[Math.min(stored - 1, (int) Math.ceil(0.99 * stored) - 1)];
    Double top1Agreement = rows == 0 ? null : (double) top1 / rows;
    Double topKAgreement = rows == 0 ? null : (double) topK / rows;
    return new Metrics(maxAbs, sumAbs / n, Math.sqrt(sumSquares / n), cosine, relative, snr, p99, top1Agreement, topKAgreement, referenceSpread());
  }

  /** Sorted absolute errors kept for the quantile (for histograms). */
  public float[] errorSample() {
    float[] sorted = Arrays.copyOf(errors, stored);
    Arrays.sort(sorted);
    return sorted;
  }
}
