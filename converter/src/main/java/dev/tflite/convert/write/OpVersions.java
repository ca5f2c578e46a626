package dev.tflite.convert.write;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;

/**
 * The operator version a kernel needs for this op's types and options, following the TensorFlow Lite runtime's
 * versioning rules, limited to versions the 2.6 runtime registers.
 */
final class OpVersions {
  private OpVersions() {}

  static int of(Operator op) {
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
      case MUL -> int16 ? 4 : int8 ? 2 : 1;
      case CONCATENATION, SOFTMAX, MEAN, RELU, RELU6, LOGISTIC, TANH, MAX_POOL_2D, AVERAGE_POOL_2D, PAD -> int16 ? 3 : int8 ? 2 : 1;
      case PADV2 -> int8 ? 2 : 1;
      case SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND -> int8 ? 2 : 1; // 4-D input; version 3 (int16) is left float
      case RESIZE_NEAREST_NEIGHBOR -> op.options(OpOptions.ResizeNearestNeighbor.class).halfPixelCenters()
          || op.options(OpOptions.ResizeNearestNeighbor.class).alignCorners() ? 3 : int8 ? 2 : 1;
      case RESIZE_BILINEAR -> op.options(OpOptions.ResizeBilinear.class).halfPixelCenters() ? 3 : int8 ? 2 : 1;
      case QUANTIZE -> op.output(0).type() == DType.INT16 ? 2 : 1;
      case DEQUANTIZE -> input == DType.FLOAT16 || input == DType.INT16 ? 3 : input == DType.INT8 ? 2 : 1;
      default -> 1;
    };
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
