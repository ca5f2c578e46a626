package dev.tflite.convert.quantize;

import dev.tflite.convert.quantize.calibrate.TensorRanges;
import dev.tflite.convert.target.TargetRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a quantizer gets besides the graph: the options, the runtime the file must run in, and, on demand, calibrated
 * tensor ranges. Quantizers record here the ops a full-integer model keeps in float, for the conversion result.
 */
public final class QuantizationContext {
  private final QuantizationOptions options;
  private final TargetRuntime target;
  private final Supplier<TensorRanges> calibration;
  private final List<FloatOp> floatOps = new ArrayList<>();
  private TensorRanges ranges;

  /** An op left in float in a full-integer model: its type, the TensorFlow node it came from, and why. */
  public record FloatOp(String op, String node, String reason) {
    @Override
    public String toString() {
      return op + " '" + node + "' (" + reason + ")";
    }
  }

  public QuantizationContext(QuantizationOptions options, TargetRuntime target, Supplier<TensorRanges> calibration) {
    this.options = options;
    this.target = target;
    this.calibration = calibration;
  }

  public QuantizationContext(QuantizationOptions options, Supplier<TensorRanges> calibration) {
    this(options, TargetRuntime.DEFAULT, calibration);
  }

  public QuantizationOptions options() {
    return options;
  }

  public TargetRuntime target() {
    return target;
  }

  /** Runs calibration the first time it is asked for (only full-integer modes ask). */
  public TensorRanges ranges() {
    if (ranges == null) {
      ranges = calibration.get();
    }
    return ranges;
  }

  void keptFloat(FloatOp op) {
    floatOps.add(op);
  }

  /** The ops a full-integer quantizer left in float, in graph order (empty for other modes). */
  public List<FloatOp> floatOps() {
    return List.copyOf(floatOps);
  }
}
