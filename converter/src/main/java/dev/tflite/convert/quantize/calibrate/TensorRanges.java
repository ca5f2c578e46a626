package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ir.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Observed value range of each float activation of the IR graph over the calibration samples, each bound rounded outward
 * to {@value #SIGNIFICANT_BITS} significant bits.
 *
 * <p>Why round: the values come out of TensorFlow's (or TensorFlow Lite's) float kernels, whose last bits depend on the
 * CPU and on whether TensorFlow uses oneDNN (it does only with AVX-512; the kernels sum in different orders). An
 * unrounded bound carries that noise straight into the scales and zero points, so the same model gave different int8
 * files on different machines. Rounded to a grid of 2^-7 of the bound's magnitude, a bound changes only when the
 * noise (about 1e-7 to 1e-6 of it) straddles a grid point: roughly a 2.6e-4 chance per bound instead of near
 * certainty. It is a probability, not a proof: a deterministic function of a noisy value cannot remove the noise
 * entirely, only make it unlikely to show.
 *
 * <p>The cost: each bound moves outward by less than 2^-7 (0.78 %) of its magnitude. Since the quantized range always
 * contains 0, its width grows by less than 0.78 %, and so do the quantization step and the rounding error of every
 * value in that tensor; clipping can only decrease. Measured against TensorFlow (64 samples; calibrated on 32): RMSE of
 * the seed RNet in int8 0.00719 → 0.00668 (boxes), 0.00226 → 0.00229 (score); of the Keras MLP fixture in int8
 * 0.0246 → 0.0249; in int16x8 within 2.5 % either way: changes of the size the rounding allows, in both directions.
 */
public final class TensorRanges {
  /** Significant bits kept of each observed bound (8: the leading one and 7 more). */
  static final int SIGNIFICANT_BITS = 8;

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
      ranges.merge(tensor, new Range(outward(min, false), outward(max, true)), Range::union);
    }
  }

  /** {@code v} rounded away from the range's inside to {@link #SIGNIFICANT_BITS} significant bits (0 stays 0), kept finite in float. */
  static double outward(double v, boolean up) {
    if (v == 0) {
      return 0;
    }
    double grid = Math.scalb(1.0, Math.getExponent(v) - (SIGNIFICANT_BITS - 1));
    double q = v / grid; // exact: the grid is a power of two
    double rounded = (up ? Math.ceil(q) : Math.floor(q)) * grid;
    return Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, rounded));
  }

  public Range get(Tensor tensor) {
    return tensor == null ? null : ranges.get(tensor);
  }

  public Map<Tensor, Range> asMap() {
    return Collections.unmodifiableMap(ranges);
  }
}
