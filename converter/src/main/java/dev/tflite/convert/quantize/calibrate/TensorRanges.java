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

  /** Widens the tensor's range by the finite values (NaN and infinities are left out). */
  public void observe(String tensor, float[] values) {
    // plain float comparisons: NaN fails both bounds, infinities fail one; several times faster than Math.min/max on
    // doubles, which matters when every activation of every calibration sample passes through here
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : values) {
      if (v >= -Float.MAX_VALUE && v <= Float.MAX_VALUE) {
        min = v < min ? v : min;
        max = v > max ? v : max;
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
