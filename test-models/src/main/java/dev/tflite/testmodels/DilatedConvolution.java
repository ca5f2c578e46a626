package dev.tflite.testmodels;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A dilated convolution the way TensorFlow's Python layers run it ({@code tf.nn.convolution} →
 * {@code tf.nn.with_space_to_batch}): SpaceToBatchND with the dilation as block shape, the undilated convolution with
 * VALID padding, BatchToSpaceND. This form runs on TensorFlow's CPU kernels with oneDNN on or off (the plain kernels
 * refuse dilations). Kept apart from the converter's own rewrite on purpose: test models are the oracle's side.
 *
 * <p>Per spatial dimension of size n, kernel k and dilation d: SAME pads (k - 1) * d in total (the smaller half
 * first), VALID none; the end is padded further up to a multiple of d, and BatchToSpaceND crops that extra again.
 */
public final class DilatedConvolution {
  private DilatedConvolution() {}

  /** Conv2D with an HWIO filter, stride 1. */
  public static Operand<TFloat32> conv2d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, long dilation, String padding) {
    return wrap(tf, x, filter, dilation, padding, (input) -> tf.nn.conv2d(input, filter, List.of(1L, 1L, 1L, 1L), "VALID"));
  }

  /** DepthwiseConv2dNative with an [H, W, C, M] filter, stride 1. */
  public static Operand<TFloat32> depthwise(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, long dilation, String padding) {
    return wrap(tf, x, filter, dilation, padding, (input) -> tf.nn.depthwiseConv2dNative(input, filter, List.of(1L, 1L, 1L, 1L), "VALID"));
  }

  private static Operand<TFloat32> wrap(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, long dilation, String padding,
      java.util.function.UnaryOperator<Operand<TFloat32>> convolution) {
    int[][] paddings = new int[2][2];
    int[][] crops = new int[2][2];
    for (int i = 0; i < 2; i++) {
      long size = x.shape().get(1 + i);
      long kernel = filter.shape().get(i);
      if (size < 0) {
        throw new IllegalArgumentException("the spatial size must be known to build the SpaceToBatchND form");
      }
      long total = padding.equals("SAME") ? (kernel - 1) * dilation : 0;
      long start = total / 2;
      long extra = Math.floorMod(-(size + total), dilation);
      paddings[i] = new int[] {(int) start, (int) (total - start + extra)};
      crops[i] = new int[] {0, (int) extra};
    }
    Operand<TFloat32> blocks = tf.spaceToBatchNd(x, tf.constant(new int[] {(int) dilation, (int) dilation}), tf.constant(paddings));
    return tf.batchToSpaceNd(convolution.apply(blocks), tf.constant(new int[] {(int) dilation, (int) dilation}), tf.constant(crops));
  }
}
