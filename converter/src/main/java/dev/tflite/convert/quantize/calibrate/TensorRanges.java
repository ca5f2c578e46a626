package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ir.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/** Observed value range of each float activation of the IR graph over the calibration samples. */
public final class TensorRanges {
  /** Inclusive range of observed values. */
  public record Range(double min, double max) {
    Range union(Range other) {
      return new Range(Math.min(min, other.min), Math.max(max, other.max));
    }
  }

  private final Map<Tensor, Range> ranges = new IdentityHashMap<>();

  /** Widens the tensor's range by the finite values (NaN and infinities are left out). */
  public void observe(Tensor tensor, float[] values) {
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

  public Range get(Tensor tensor) {
    return tensor == null ? null : ranges.get(tensor);
  }

  public Map<Tensor, Range> asMap() {
    return Collections.unmodifiableMap(ranges);
  }
}
