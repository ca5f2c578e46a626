package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpOptions.Padding;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * SPACE_TO_BATCH_ND → CONV_2D / DEPTHWISE_CONV_2D / CONV_3D (VALID, stride 1, undilated) → BATCH_TO_SPACE_ND, the form in
 * which TensorFlow's Python layers run a dilated convolution, becomes one convolution with that dilation, as the
 * official converter's dilated-convolution pass does for the 2-D ones (it refuses Keras' 3-D form). Every intermediate
 * must be read only by the pattern. A block op over three spatial dimensions that is not part of such a pattern has no
 * TensorFlow Lite kernel (they take 4-D inputs), so the conversion fails naming it.
 *
 * <p>Stricter than the official pass, which decides SAME or VALID from {@code paddings - crops} alone: here the
 * paddings and crops must be exactly what {@code tf.nn.with_space_to_batch} produces for SAME or for VALID (base
 * paddings, then the end padded up to a multiple of the block and cropped again), and the output shape must be the
 * dilated convolution's; any other use of the two ops is left as it is (they are TensorFlow Lite builtins too).
 */
final class FoldDilatedConvolution implements Pass {
  private static final Set<OpType> CONVOLUTIONS = Set.of(OpType.CONV_2D, OpType.DEPTHWISE_CONV_2D, OpType.CONV_3D);

  @Override
  public void run(Graph graph) {
    for (Operator batchToSpace : List.copyOf(graph.operators())) {
      if (batchToSpace.type() == OpType.BATCH_TO_SPACE_ND) {
        tryFold(graph, batchToSpace);
      }
    }
    for (Operator op : graph.operators()) {
      if ((op.type() == OpType.SPACE_TO_BATCH_ND || op.type() == OpType.BATCH_TO_SPACE_ND) && op.input(0).rank() != 4) {
        throw new dev.tflite.convert.ConversionException("node '" + op.origin() + "': " + (op.type() == OpType.SPACE_TO_BATCH_ND ? "SpaceToBatchND"
            : "BatchToSpaceND") + " over " + (op.input(0).rank() - 2) + " spatial dimensions is supported only around a convolution (a dilated "
            + "Conv3D as Keras writes it); TensorFlow Lite's kernel takes 4-D inputs");
      }
    }
  }

  private static void tryFold(Graph graph, Operator batchToSpace) {
    Operator conv = Patterns.exclusiveProducer(graph, batchToSpace.input(0), CONVOLUTIONS);
    Operator spaceToBatch = conv == null ? null : Patterns.exclusiveProducer(graph, conv.input(0), Set.of(OpType.SPACE_TO_BATCH_ND));
    if (spaceToBatch == null || !undilatedValid(conv.options()) || !allConstant(spaceToBatch, batchToSpace)) {
      return;
    }
    int[] block = spaceToBatch.input(1).data().ints();
    int[] paddings = spaceToBatch.input(2).data().ints();
    int[] crops = batchToSpace.input(2).data().ints();
    long[] in = spaceToBatch.input(0).shape();
    long[] out = batchToSpace.output(0).shape();
    long[] weights = conv.input(1).shape();
    int spatial = conv.type() == OpType.CONV_3D ? 3 : 2;
    // kernel sizes: [O, H, W, I] and [1, H, W, C*M] at 1..2, [D, H, W, I, O] at 0..2
    long[] kernel = Arrays.copyOfRange(weights, conv.type() == OpType.CONV_3D ? 0 : 1, (conv.type() == OpType.CONV_3D ? 0 : 1) + spatial);
    if (block.length != spatial || !Arrays.equals(block, batchToSpace.input(1).data().ints()) || paddings.length != 2 * spatial
        || crops.length != 2 * spatial || in == null || out == null || in.length != spatial + 2 || out.length != spatial + 2
        || Arrays.stream(block).anyMatch(b -> b < 1)) {
      return;
    }
    Padding padding = null;
    for (Padding candidate : Padding.values()) {
      if (matches(candidate, block, paddings, crops, in, out, kernel)) {
        padding = candidate;
      }
    }
    if (padding == null) {
      return;
    }
    OpOptions options = switch (conv.type()) {
      case CONV_2D -> new OpOptions.Conv2D(padding, 1, 1, block[0], block[1], Activation.NONE);
      case CONV_3D -> new OpOptions.Conv3D(padding, 1, 1, 1, block[0], block[1], block[2], Activation.NONE);
      default -> new OpOptions.DepthwiseConv2D(padding, 1, 1, conv.options(OpOptions.DepthwiseConv2D.class).depthMultiplier(), block[0], block[1],
          Activation.NONE);
    };
    Operator dilated = new Operator(conv.type(), List.of(spaceToBatch.input(0), conv.input(1), conv.input(2)), List.of(batchToSpace.output(0)),
        options, batchToSpace.origin());
    graph.replaceOperator(batchToSpace, dilated);
    graph.removeOperators(Set.of(spaceToBatch, conv));
  }

  private static boolean undilatedValid(OpOptions options) {
    if (options instanceof OpOptions.Conv2D c) {
      return c.padding() == Padding.VALID && c.strideH() == 1 && c.strideW() == 1 && c.dilationH() == 1 && c.dilationW() == 1
          && c.activation() == Activation.NONE;
    }
    if (options instanceof OpOptions.Conv3D c) {
      return c.padding() == Padding.VALID && c.strideD() == 1 && c.strideH() == 1 && c.strideW() == 1 && c.dilationD() == 1 && c.dilationH() == 1
          && c.dilationW() == 1 && c.activation() == Activation.NONE;
    }
    return options instanceof OpOptions.DepthwiseConv2D d && d.padding() == Padding.VALID && d.strideH() == 1 && d.strideW() == 1
        && d.dilationH() == 1 && d.dilationW() == 1 && d.activation() == Activation.NONE;
  }

  private static boolean allConstant(Operator spaceToBatch, Operator batchToSpace) {
    return spaceToBatch.input(1).isConstant() && spaceToBatch.input(2).isConstant() && batchToSpace.input(1).isConstant()
        && batchToSpace.input(2).isConstant();
  }

  /**
   * Whether paddings and crops are {@code with_space_to_batch}'s for this padding: per spatial dimension the base
   * paddings (none for VALID; (k - 1) * d split with the smaller half first for SAME), plus an end padding below the
   * block that makes the size a multiple of it and is cropped again; and the output is the dilated convolution's.
   */
  private static boolean matches(Padding padding, int[] block, int[] paddings, int[] crops, long[] in, long[] out, long[] kernels) {
    for (int i = 0; i < block.length; i++) {
      long kernel = kernels[i];
      long total = padding == Padding.SAME ? (kernel - 1) * block[i] : 0;
      long start = total / 2;
      long extra = crops[2 * i + 1];
      boolean ok = crops[2 * i] == 0 && extra >= 0 && extra < block[i] && paddings[2 * i] == start && paddings[2 * i + 1] == total - start + extra
          && (in[1 + i] + paddings[2 * i] + paddings[2 * i + 1]) % block[i] == 0
          && out[1 + i] == (padding == Padding.SAME ? in[1 + i] : in[1 + i] - (kernel - 1) * block[i]);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
