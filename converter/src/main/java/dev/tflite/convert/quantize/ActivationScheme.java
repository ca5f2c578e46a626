package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Quantization;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a full-integer mode stores activations, and which ops the 2.6 runtime can run that way. Adding an op to a
 * full-integer mode is one row in its table.
 */
enum ActivationScheme {
  /** int8 asymmetric activations, int32 bias. */
  INT8(DType.INT8, -128, 127, false, DType.INT32),
  /** int16 symmetric activations (zero point 0), int64 bias. */
  INT16(DType.INT16, -32767, 32767, true, DType.INT64);

  /** How an op's output quantization is chosen. */
  enum Output { FREE, SAME_AS_INPUT, FIXED }

  /**
   * One op's integer kernel contract: how its output is quantized (fixed scale and zero point for FIXED), the
   * output-channel axis of its weights (input 1; -1 per tensor, null when it has none) and whether input 2 is a bias.
   */
  record OpRule(Output output, double fixedScale, long fixedZeroPoint, Integer weightAxis, boolean hasBias) {
    static OpRule free() {
      return new OpRule(Output.FREE, 0, 0, null, false);
    }

    static OpRule same() {
      return new OpRule(Output.SAME_AS_INPUT, 0, 0, null, false);
    }

    static OpRule fixed(double scale, long zeroPoint) {
      return new OpRule(Output.FIXED, scale, zeroPoint, null, false);
    }

    static OpRule weighted(int axis) {
      return new OpRule(Output.FREE, 0, 0, axis, true);
    }
  }

  private final DType type;
  private final long qmin;
  private final long qmax;
  private final boolean symmetric;
  private final DType biasType;
  private final Map<OpType, OpRule> rules = new EnumMap<>(OpType.class);

  ActivationScheme(DType type, long qmin, long qmax, boolean symmetric, DType biasType) {
    this.type = type;
    this.qmin = qmin;
    this.qmax = qmax;
    this.symmetric = symmetric;
    this.biasType = biasType;
  }

  static {
    Map<OpType, OpRule> int8 = INT8.rules;
    int8.put(OpType.CONV_2D, OpRule.weighted(0));
    int8.put(OpType.DEPTHWISE_CONV_2D, OpRule.weighted(3));
    int8.put(OpType.FULLY_CONNECTED, OpRule.weighted(-1)); // the 2.6 int8 kernel reads one weight scale
    for (OpType t : new OpType[] {OpType.ADD, OpType.SUB, OpType.MUL, OpType.MEAN, OpType.RELU, OpType.RELU6, OpType.PRELU}) {
      int8.put(t, OpRule.free());
    }
    for (OpType t : new OpType[] {OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D, OpType.RESHAPE, OpType.SQUEEZE, OpType.CONCATENATION,
        OpType.PAD, OpType.PADV2, OpType.SPACE_TO_BATCH_ND, OpType.BATCH_TO_SPACE_ND}) {
      int8.put(t, OpRule.same());
    }
    int8.put(OpType.LOGISTIC, OpRule.fixed(1.0 / 256, -128));
    int8.put(OpType.SOFTMAX, OpRule.fixed(1.0 / 256, -128));
    int8.put(OpType.TANH, OpRule.fixed(1.0 / 128, 0));

    Map<OpType, OpRule> int16 = INT16.rules;
    int16.put(OpType.CONV_2D, OpRule.weighted(0));
    int16.put(OpType.DEPTHWISE_CONV_2D, OpRule.weighted(3));
    int16.put(OpType.FULLY_CONNECTED, OpRule.weighted(-1));
    for (OpType t : new OpType[] {OpType.ADD, OpType.SUB, OpType.MUL, OpType.RELU, OpType.RELU6}) {
      int16.put(t, OpRule.free());
    }
    for (OpType t : new OpType[] {OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D, OpType.RESHAPE, OpType.SQUEEZE, OpType.CONCATENATION,
        OpType.PAD}) {
      int16.put(t, OpRule.same());
    }
    int16.put(OpType.LOGISTIC, OpRule.fixed(1.0 / 32768, 0));
    int16.put(OpType.SOFTMAX, OpRule.fixed(1.0 / 32768, 0));
    int16.put(OpType.TANH, OpRule.fixed(1.0 / 32768, 0));
  }

  DType type() {
    return type;
  }

  DType biasType() {
    return biasType;
  }

  /** The op's integer contract, or null when the 2.6 runtime has no such kernel. */
  OpRule rule(OpType op) {
    return rules.get(op);
  }

  /** Per-tensor parameters covering [min, max] (widened to include 0, as integer kernels need 0 exactly representable). */
  Quantization paramsFor(double min, double max) {
    double lo = Math.min(min, 0);
    double hi = Math.max(max, 0);
    if (symmetric) {
      double bound = Math.max(Math.abs(lo), Math.abs(hi));
      double scale = bound > 0 ? bound / qmax : 1.0;
      return new Quantization(new float[] {(float) scale}, new long[] {0}, 0);
    }
    if (hi - lo < 1e-9) {
      hi = lo + 1e-9;
    }
    double scale = (hi - lo) / (qmax - qmin);
    long zeroPoint = Math.max(qmin, Math.min(qmax, Math.round(qmin - lo / scale)));
    return new Quantization(new float[] {(float) scale}, new long[] {zeroPoint}, 0);
  }

  Quantization fixed(OpRule rule) {
    return new Quantization(new float[] {(float) rule.fixedScale()}, new long[] {rule.fixedZeroPoint()}, 0);
  }

  long qmin() {
    return qmin;
  }

  long qmax() {
    return qmax;
  }
}
