package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.List;
import java.util.Set;

/**
 * A zero PAD of the spatial dimensions feeding a VALID convolution, where the pads are exactly those SAME padding
 * computes for the unpadded input, becomes that convolution with SAME padding (as the official converter writes it).
 * keras.applications writes this for every stride-2 block of MobileNetV2, MobileNetV3 and EfficientNet:
 * {@code ZeroPadding2D(correct_pad(...))} then a VALID convolution, and for an even input size correct_pad is SAME's
 * (0 before, 1 after). Both compute the same sums (the padded zeros contribute nothing either way); the file has one
 * op and one intermediate tensor less. Other pads (ResNet's 3 before and after a 7x7 stride-2 convolution) stay.
 */
final class FoldPadIntoConvolution implements Rewrite {
  private static final Set<OpType> PADS = Set.of(OpType.PAD);

  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator conv : List.copyOf(graph.operators())) {
      if (conv.type() != OpType.CONV_2D && conv.type() != OpType.DEPTHWISE_CONV_2D) {
        continue;
      }
      Operator pad = Patterns.exclusiveProducer(graph, conv.input(0), PADS);
      if (pad == null || !pad.input(1).isConstant() || pad.input(0).rank() != 4) {
        continue;
      }
      OpOptions replaced = sameInsteadOfValid(conv, pad.input(0), pad.input(1).data().ints());
      if (replaced != null) {
        conv.setInput(0, pad.input(0));
        conv.setOptions(replaced);
        changed = true; // the PAD is dead now: DeadCodeElimination drops it
      }
    }
    return changed;
  }

  /** The convolution's options with SAME padding if the pads [[n],[h],[w],[c]] are SAME's for {@code input}; else null. */
  private static OpOptions sameInsteadOfValid(Operator conv, Tensor input, int[] pads) {
    if (pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[6] != 0 || pads[7] != 0) {
      return null;
    }
    long[] kernel = conv.input(1).shape(); // CONV_2D [out, kh, kw, in]; DEPTHWISE_CONV_2D [1, kh, kw, out]
    if (conv.options() instanceof OpOptions.Conv2D o && o.padding() == OpOptions.Padding.VALID
        && isSame(input.dim(1), kernel[1], o.strideH(), o.dilationH(), pads[2], pads[3])
        && isSame(input.dim(2), kernel[2], o.strideW(), o.dilationW(), pads[4], pads[5])) {
      return new OpOptions.Conv2D(OpOptions.Padding.SAME, o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), o.activation());
    }
    if (conv.options() instanceof OpOptions.DepthwiseConv2D o && o.padding() == OpOptions.Padding.VALID
        && isSame(input.dim(1), kernel[1], o.strideH(), o.dilationH(), pads[2], pads[3])
        && isSame(input.dim(2), kernel[2], o.strideW(), o.dilationW(), pads[4], pads[5])) {
      return new OpOptions.DepthwiseConv2D(OpOptions.Padding.SAME, o.strideH(), o.strideW(), o.depthMultiplier(), o.dilationH(), o.dilationW(),
          o.activation());
    }
    return null;
  }

  /** Whether SAME padding of a {@code size} dimension pads {@code before} and {@code after} (TensorFlow's rule). */
  private static boolean isSame(long size, long kernel, int stride, int dilation, int before, int after) {
    if (size <= 0) {
      return false; // a dynamic spatial size: SAME's pads would depend on it
    }
    long effective = (kernel - 1) * dilation + 1;
    long out = (size + stride - 1) / stride;
    long total = Math.max(0, (out - 1) * stride + effective - size);
    return before == total / 2 && after == total - total / 2;
  }
}
