package dev.tflite.convert.write;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;

/**
 * The operator version a kernel needs for this op's types and options, following the TensorFlow Lite runtime's
 * versioning rules (tensorflow/lite/tools/versioning/op_version.cc) for the types and options this converter writes.
 * Which runtime registers each version is in {@link dev.tflite.convert.target.RuntimeVersions}.
 */
public final class OpVersions {
  private OpVersions() {}

  public static int of(Operator op) {
    DType input = op.input(0) == null ? null : op.input(0).type();
    Tensor weights = op.inputs().size() > 1 ? op.input(1) : null;
    boolean hybrid = input == DType.FLOAT32 && weights != null && weights.type() == DType.INT8;
    boolean int8 = input == DType.INT8;
    boolean int16 = input == DType.INT16;
    return switch (op.type()) {
      case CONV_2D -> hybrid ? (perChannel(weights.quantization()) ? 5 : 2) : int16 ? 4 : int8 ? 3 : 1;
      case DEPTHWISE_CONV_2D -> {
        OpOptions.DepthwiseConv2D o = op.options(OpOptions.DepthwiseConv2D.class);
        if (hybrid) {
          yield perChannel(weights.quantization()) ? 6 : 4;
        }
        yield int16 ? 5 : int8 ? 3 : (o.dilationH() != 1 || o.dilationW() != 1) ? 2 : 1;
      }
      case FULLY_CONNECTED -> {
        OpOptions.FullyConnected o = op.options(OpOptions.FullyConnected.class);
        if (op.inputs().size() < 3 || op.input(2) == null) {
          yield 6;
        }
        if (o.keepNumDims()) {
          yield 5;
        }
        yield int16 ? 7 : int8 ? 4 : hybrid ? (o.asymmetricQuantizeInputs() ? 9 : 3) : 1;
      }
      case ADD -> int16 ? 3 : int8 ? 2 : 1;
      case SUB -> int16 ? 5 : int8 ? 2 : 1;
      case MUL -> int16 ? 4 : int8 ? (rescalesUp(op) ? 3 : 2) : 1;
      case CONCATENATION, SOFTMAX, MEAN, RELU, RELU6, LOGISTIC, TANH, MAX_POOL_2D, AVERAGE_POOL_2D, PAD, PADV2, REDUCE_MAX -> int16 ? 3 : int8 ? 2 : 1;
      case MAXIMUM, MINIMUM -> int16 ? 4 : int8 ? 2 : 1;
      case SUM -> int8 || int16 ? 2 : 1;
      case SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND -> int8 ? 2 : 1; // 4-D input; version 3 (int16) is left float
      case RSQRT -> int8 ? 2 : 1;
      case SLICE -> op.input(0).shape().length > 4 ? 5 : int16 ? 4 : int8 ? 2 : 1;
      case ABS -> int16 ? 3 : int8 ? 2 : 1;
      case GATHER -> int16 ? 4 : int8 ? 2 : 1;
      case LEAKY_RELU -> int16 ? 2 : 1;
      case TRANSPOSE -> int16 ? 5 : op.input(0).shape().length > 4 ? 4 : int8 ? 2 : 1;
      case TRANSPOSE_CONV -> op.inputs().size() > 3 && op.input(3) != null ? 3 : weights != null && weights.type() == DType.INT8 ? 2 : 1;
      case RESIZE_NEAREST_NEIGHBOR -> {
        OpOptions.ResizeNearestNeighbor o = op.options(OpOptions.ResizeNearestNeighbor.class);
        yield int16 ? 4 : o.halfPixelCenters() || o.alignCorners() ? 3 : int8 ? 2 : 1;
      }
      case RESIZE_BILINEAR -> int16 ? 4 : op.options(OpOptions.ResizeBilinear.class).halfPixelCenters() ? 3 : int8 ? 2 : 1;
      case QUANTIZE -> op.output(0).type() == DType.INT16 ? 2 : 1;
      case DEQUANTIZE -> input == DType.FLOAT16 || input == DType.INT16 ? 3 : input == DType.INT8 ? 2 : 1;
      default -> 1;
    };
  }

  /** int8 MUL whose input scales multiply to at least its output scale: version 3 (a kernel path added in 1.15). */
  private static boolean rescalesUp(Operator op) {
    Quantization a = op.input(0).quantization();
    Quantization b = op.input(1).quantization();
    Quantization out = op.output(0).quantization();
    if (a == null || b == null || out == null) {
      return false;
    }
    return (double) a.scales()[0] * b.scales()[0] / out.scales()[0] >= 1.0;
  }

  /** The runtime treats per-channel scales that are all equal as per-tensor. */
  private static boolean perChannel(Quantization q) {
    if (q == null || q.scales().length < 2) {
      return false;
    }
    for (float s : q.scales()) {
      if (s != q.scales()[0]) {
        return true;
      }
    }
    return false;
  }
}
