package dev.tflite.validation.compare;

/**
 * Accumulates the element-wise difference between a reference output and a converted one over all samples.
 * Any NaN or infinity on the converted side that the reference does not have makes every metric infinite, so such
 * a model can never pass.
 */
public final class DriftAccumulator {
  private long count;
  private double maxAbs;
  private double sumAbs;
  private double sumSquares;
  private double dot;
  private double referenceNorm;
  private double candidateNorm;
  private boolean nonFinite;

  public void add(float[] reference, float[] candidate) {
    if (reference.length != candidate.length) {
      throw new IllegalArgumentException("outputs differ in size: " + reference.length + " vs " + candidate.length);
    }
    for (int i = 0; i < reference.length; i++) {
      double r = reference[i];
      double c = candidate[i];
      if (!Double.isFinite(c) || !Double.isFinite(r)) {
        if (!(Double.compare(r, c) == 0)) {
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
      count++;
    }
  }

  public Metrics metrics() {
    if (nonFinite) {
      return new Metrics(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
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
    return new Metrics(maxAbs, sumAbs / n, Math.sqrt(sumSquares / n), cosine);
  }
}
