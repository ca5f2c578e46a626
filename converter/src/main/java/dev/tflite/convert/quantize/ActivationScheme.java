package dev.tflite.convert.quantize;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ops.OpContract;
import dev.tflite.convert.ops.OpContract.OutputScale;
import dev.tflite.convert.ops.OpContracts;
import dev.tflite.convert.target.RuntimeVersions;
import dev.tflite.convert.target.TargetRuntime;

/**
 * How a full-integer mode stores activations. Which ops the 2.6 runtime can run that way, with which scale
 * constraints, is in each op's {@link OpContract}.
 */
enum ActivationScheme {
  /** int8 asymmetric activations, int32 bias. */
  INT8(DType.INT8, -128, 127, false, DType.INT32),
  /** int16 symmetric activations (zero point 0), int64 bias. */
  INT16(DType.INT16, -32767, 32767, true, DType.INT64);

  /**
   * One op's integer kernel contract, as {@link OpContract} states it for this scheme: how its output is quantized
   * (fixed scale and zero point for FIXED), which input holds its weights and their output-channel axis (-1 per tensor;
   * no weights when {@code weightIndex} is -1), which input is the activation the bias scale derives from, and which
   * input is the bias (-1 when none).
   */
  record OpRule(OutputScale output, double fixedScale, long fixedZeroPoint, int weightIndex, int weightAxis, int dataIndex, int biasIndex) {
    OpRule withWeightAxis(int axis) {
      return new OpRule(output, fixedScale, fixedZeroPoint, weightIndex, axis, dataIndex, biasIndex);
    }
  }

  private final DType type;
  private final long qmin;
  private final long qmax;
  private final boolean symmetric;
  private final DType biasType;

  ActivationScheme(DType type, long qmin, long qmax, boolean symmetric, DType biasType) {
    this.type = type;
    this.qmin = qmin;
    this.qmax = qmax;
    this.symmetric = symmetric;
    this.biasType = biasType;
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
    OpContract c = OpContracts.of(op);
    if (!(this == INT8 ? c.int8() : c.int16())) {
      return null;
    }
    OpContract.FixedScale fixed = this == INT8 ? c.int8Fixed() : c.int16Fixed();
    OpRule rule = new OpRule(c.outputScale(), fixed == null ? 0 : fixed.scale(), fixed == null ? 0 : fixed.zeroPoint(), c.weightIndex(),
        c.weightAxis(), c.dataIndex(), c.biasIndex());
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
      // a tensor that is always 0 (ZerosLike): a tiny scale, so kernels that rescale it (int16 ADD needs input scales
      // below twice the output's) accept it; 1.0 made the 2.6 int16 ADD refuse the file
      double scale = bound > 0 ? bound / qmax : 1e-9 / qmax;
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
