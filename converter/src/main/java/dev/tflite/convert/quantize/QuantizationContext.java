package dev.tflite.convert.quantize;

import dev.tflite.convert.quantize.calibrate.TensorRanges;
import java.util.function.Supplier;

/** What a quantizer gets besides the graph: the options and, on demand, calibrated tensor ranges. */
public final class QuantizationContext {
  private final QuantizationOptions options;
  private final Supplier<TensorRanges> calibration;
  private TensorRanges ranges;

  public QuantizationContext(QuantizationOptions options, Supplier<TensorRanges> calibration) {
    this.options = options;
    this.calibration = calibration;
  }

  public QuantizationOptions options() {
    return options;
  }

  /** Runs calibration the first time it is asked for (only full-integer modes ask). */
  public TensorRanges ranges() {
    if (ranges == null) {
      ranges = calibration.get();
    }
    return ranges;
  }
}
