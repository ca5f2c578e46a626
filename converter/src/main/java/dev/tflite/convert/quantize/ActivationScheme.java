package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.target.RuntimeVersions;
import dev.tflite.convert.target.TargetRuntime;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a full-integer mode stores activations, and which ops the 2.6 runtime can run that way with which scale
 * constraints. Adding an op to a full-integer mode is one row in its table.
 */
enum ActivationScheme {
  /** int8 asymmetric activations, int32 bias. */
  INT8(DType.INT8, -128, 127, false, DType.INT32),
  /** int16 symmetric activations (zero point 0), int64 bias. */
  INT16(DType.INT16, -32767, 32767, true, DType.INT64);

  /**
   * How an op's output quantization is chosen: freely from its calibrated range (the kernel rescales), shared with
   * its first input or with all its float inputs (the kernel moves or compares raw integers, so they must be on one
   * scale), or fixed by the kernel.
   */
  enum Output { FREE, SAME_AS_INPUT, SAME_AS_INPUTS, FIXED }

  /**
   * One op's integer kernel contract: how its output is quantized (fixed scale and zero point for FIXED), which input
   * holds its weights and their output-channel axis (-1 per tensor; no weights when {@code weightIndex} is -1), which
   * input is the activation the bias scale derives from, and which input is the bias (-1 when none).
   */
  record OpRule(Output output, double fixedScale, long fixedZeroPoint, int weightIndex, int weightAxis, int dataIndex, int biasIndex) {
    static OpRule free() {
      return new OpRule(Output.FREE, 0, 0, -1, -1, 0, -1);
    }

    static OpRule same() {
      return new OpRule(Output.SAME_AS_INPUT, 0, 0, -1, -1, 0, -1);
    }

    static OpRule sameAsAllInputs() {
      return new OpRule(Output.SAME_AS_INPUTS, 0, 0, -1, -1, 0, -1);
    }

    static OpRule fixed(double scale, long zeroPoint) {
      return new OpRule(Output.FIXED, scale, zeroPoint, -1, -1, 0, -1);
    }

    /** Weights at input 1, activation at input 0, bias at input 2 (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED). */
    static OpRule weighted(int axis) {
      return new OpRule(Output.FREE, 0, 0, 1, axis, 0, 2);
    }

    /** TRANSPOSE_CONV: output shape at input 0, OHWI weights at 1, activation at 2, optional bias at 3. */
    static OpRule transposeConv() {
      return new OpRule(Output.FREE, 0, 0, 1, 0, 2, 3);
    }

    OpRule withWeightAxis(int axis) {
      return new OpRule(output, fixedScale, fixedZeroPoint, weightIndex, axis, dataIndex, biasIndex);
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

  // Every op the converter writes that has an integer kernel in the 2.6 runtime, with that kernel's scale contract
  // (tensorflow/lite/kernels in 2.6: which kernels rescale, which copy or compare raw values, which fix their output).
  // Not here, so float in a full-integer model: DIV, EXP, NEG, SQRT, RSQRT, LOG, CAST and a standalone RELU_N1_TO_1
  // (no int8 or int16 kernel for them in 2.6, or none checked here yet), and for int16 also PRELU, ELU, SUM,
  // SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND (int16 came later, as their version 4) and RESIZE_BILINEAR (its int16 kernel interpolates at about int8 precision: 260 int16 steps measured, 2.6.2 and 2.18).
  static {
    Map<OpType, OpRule> int8 = INT8.rules;
    int8.put(OpType.CONV_2D, OpRule.weighted(0));
    int8.put(OpType.DEPTHWISE_CONV_2D, OpRule.weighted(3));
    int8.put(OpType.FULLY_CONNECTED, OpRule.weighted(-1)); // the 2.6 int8 kernel reads one weight scale; see rule()
    int8.put(OpType.TRANSPOSE_CONV, OpRule.transposeConv());
    for (OpType t : new OpType[] {OpType.ADD, OpType.SUB, OpType.MUL, OpType.MEAN, OpType.RELU, OpType.RELU6, OpType.PRELU, OpType.LEAKY_RELU,
        OpType.ELU, OpType.ABS}) {
      int8.put(t, OpRule.free());
    }
    for (OpType t : new OpType[] {OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D, OpType.RESHAPE, OpType.SQUEEZE, OpType.PAD, OpType.TRANSPOSE,
        OpType.RESIZE_NEAREST_NEIGHBOR, OpType.RESIZE_BILINEAR, OpType.GATHER, OpType.REDUCE_MAX, OpType.SLICE, OpType.SPACE_TO_BATCH_ND,
        OpType.BATCH_TO_SPACE_ND}) {
      int8.put(t, OpRule.same());
    }
    int8.put(OpType.SUM, OpRule.free());
    // PADV2's pad value and MAXIMUM's operands are compared or copied as raw integers next to the input's
    for (OpType t : new OpType[] {OpType.CONCATENATION, OpType.PADV2, OpType.MAXIMUM, OpType.MINIMUM}) {
      int8.put(t, OpRule.sameAsAllInputs());
    }
    int8.put(OpType.LOGISTIC, OpRule.fixed(1.0 / 256, -128));
    int8.put(OpType.SOFTMAX, OpRule.fixed(1.0 / 256, -128));
    int8.put(OpType.TANH, OpRule.fixed(1.0 / 128, 0));

    Map<OpType, OpRule> int16 = INT16.rules;
    int16.put(OpType.CONV_2D, OpRule.weighted(0));
    int16.put(OpType.DEPTHWISE_CONV_2D, OpRule.weighted(3));
    int16.put(OpType.FULLY_CONNECTED, OpRule.weighted(-1));
    int16.put(OpType.TRANSPOSE_CONV, OpRule.transposeConv());
    for (OpType t : new OpType[] {OpType.ADD, OpType.SUB, OpType.MUL, OpType.MEAN, OpType.RELU, OpType.RELU6, OpType.LEAKY_RELU, OpType.ABS}) {
      int16.put(t, OpRule.free());
    }
    for (OpType t : new OpType[] {OpType.MAX_POOL_2D, OpType.AVERAGE_POOL_2D, OpType.RESHAPE, OpType.SQUEEZE, OpType.PAD, OpType.TRANSPOSE,
        OpType.RESIZE_NEAREST_NEIGHBOR, OpType.GATHER, OpType.REDUCE_MAX, OpType.SLICE}) {
      int16.put(t, OpRule.same());
    }
    for (OpType t : new OpType[] {OpType.CONCATENATION, OpType.PADV2, OpType.MAXIMUM, OpType.MINIMUM}) {
      int16.put(t, OpRule.sameAsAllInputs());
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

  /**
   * The op's integer contract in the target runtime, or null when the 2.6 runtime has no such kernel. A target with
   * per-channel int8 FULLY_CONNECTED kernels gets per-channel weights, as the official converter writes them.
   */
  OpRule rule(OpType op, TargetRuntime target) {
    OpRule rule = rules.get(op);
    if (rule != null && op == OpType.FULLY_CONNECTED && this == INT8 && RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.availableIn(target)) {
      return rule.withWeightAxis(0);
    }
    return rule;
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
