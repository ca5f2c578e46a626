package dev.tflite.convert.quantize.calibrate;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Observed value range of each TensorFlow tensor over the calibration samples, keyed by {@code node:index}. */
public final class TensorRanges {
  /** Inclusive range of observed values. */
  public record Range(double min, double max) {
    Range union(Range other) {
      return new Range(Math.min(min, other.min), Math.max(max, other.max));
    }
  }

  private final Map<String, Range> ranges = new HashMap<>();

  public void observe(String tensor, float[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      if (Float.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min <= max) {
      ranges.merge(tensor, new Range(min, max), Range::union);
    }
  }

  public Range get(String tensor) {
    return tensor == null ? null : ranges.get(tensor);
  }

  public Map<String, Range> asMap() {
    return Collections.unmodifiableMap(ranges);
  }
}
