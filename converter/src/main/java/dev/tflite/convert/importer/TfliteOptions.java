package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpOptions.Padding;
import dev.tflite.convert.ir.OpType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FakeQuantOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SqueezeOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;

/** Reads a flatbuffer operator's builtin options back into the IR's {@link OpOptions} records. */
final class TfliteOptions {
  private TfliteOptions() {}

  static OpOptions read(OpType type, Object value, String where) {
    if (value == null) {
      return switch (type) {
        case ADD -> new OpOptions.Add(Activation.NONE);
        case SUB -> new OpOptions.Sub(Activation.NONE);
        case MUL -> new OpOptions.Mul(Activation.NONE);
        case FULLY_CONNECTED -> new OpOptions.FullyConnected(Activation.NONE, false, false);
        case SOFTMAX -> new OpOptions.Softmax(1f);
        case PAD -> new OpOptions.Pad();
        case EXPAND_DIMS -> new OpOptions.ExpandDims();
        case SPACE_TO_BATCH_ND -> new OpOptions.SpaceToBatchNd();
        case BATCH_TO_SPACE_ND -> new OpOptions.BatchToSpaceNd();
        case RESHAPE -> new OpOptions.Reshape(new int[0]);
        default -> new OpOptions.None();
      };
    }
    if (value instanceof org.tensorflow.lite.schema.ExpandDimsOptionsT) {
      return new OpOptions.ExpandDims();
    }
    if (value instanceof Conv2DOptionsT o) {
      return new OpOptions.Conv2D(padding(o.getPadding()), o.getStrideH(), o.getStrideW(), o.getDilationHFactor(), o.getDilationWFactor(),
          activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof DepthwiseConv2DOptionsT o) {
      return new OpOptions.DepthwiseConv2D(padding(o.getPadding()), o.getStrideH(), o.getStrideW(), o.getDepthMultiplier(),
          o.getDilationHFactor(), o.getDilationWFactor(), activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof FullyConnectedOptionsT o) {
      return new OpOptions.FullyConnected(activation(o.getFusedActivationFunction(), where), o.getKeepNumDims(), o.getAsymmetricQuantizeInputs());
    }
    if (value instanceof Pool2DOptionsT o) {
      return new OpOptions.Pool2D(padding(o.getPadding()), o.getStrideH(), o.getStrideW(), o.getFilterHeight(), o.getFilterWidth(),
          activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof AddOptionsT o) {
      return new OpOptions.Add(activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof SubOptionsT o) {
      return new OpOptions.Sub(activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof MulOptionsT o) {
      return new OpOptions.Mul(activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof ConcatenationOptionsT o) {
      return new OpOptions.Concatenation(o.getAxis(), activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof SoftmaxOptionsT o) {
      return new OpOptions.Softmax(o.getBeta());
    }
    if (value instanceof ReshapeOptionsT o) {
      return new OpOptions.Reshape(o.getNewShape() == null ? new int[0] : o.getNewShape());
    }
    if (value instanceof SqueezeOptionsT o) {
      return new OpOptions.Squeeze(o.getSqueezeDims() == null ? new int[0] : o.getSqueezeDims());
    }
    if (value instanceof ReducerOptionsT o) {
      return new OpOptions.Reducer(o.getKeepDims());
    }
    if (value instanceof org.tensorflow.lite.schema.LeakyReluOptionsT o) {
      return new OpOptions.LeakyRelu(o.getAlpha());
    }
    if (value instanceof org.tensorflow.lite.schema.SpaceToBatchNDOptionsT) {
      return new OpOptions.SpaceToBatchNd();
    }
    if (value instanceof org.tensorflow.lite.schema.BatchToSpaceNDOptionsT) {
      return new OpOptions.BatchToSpaceNd();
    }
    if (value instanceof org.tensorflow.lite.schema.Conv3DOptionsT o) {
      return new OpOptions.Conv3D(padding(o.getPadding()), o.getStrideD(), o.getStrideH(), o.getStrideW(), o.getDilationDFactor(),
          o.getDilationHFactor(), o.getDilationWFactor(), activation(o.getFusedActivationFunction(), where));
    }
    if (value instanceof org.tensorflow.lite.schema.GeluOptionsT o) {
      return new OpOptions.Gelu(o.getApproximate());
    }
    if (value instanceof org.tensorflow.lite.schema.L2NormOptionsT) {
      return new OpOptions.L2Norm();
    }
    if (value instanceof FakeQuantOptionsT o) {
      return new OpOptions.FakeQuant(o.getMin(), o.getMax(), o.getNumBits(), o.getNarrowRange());
    }
    return new OpOptions.None();
  }

  private static Padding padding(byte code) {
    return code == org.tensorflow.lite.schema.Padding.SAME ? Padding.SAME : Padding.VALID;
  }

  private static Activation activation(byte code, String where) {
    for (Activation a : Activation.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new ConversionException(where + " uses fused activation " + org.tensorflow.lite.schema.ActivationFunctionType.name(code)
        + ", which this converter does not re-emit");
  }
}
