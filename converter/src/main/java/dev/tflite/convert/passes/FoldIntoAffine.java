package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A binary op of a constant and the output of a conv / depthwise / fully-connected / transpose-conv op, folded into that
 * op's constants. The guards are the official converter's: the affine op has no fused activation and no other reader,
 * the constant is a scalar or runs over output channels only ({@code [1, ..., 1, C]}), and the binary op does not
 * broadcast the result to a larger shape. The binary op's own fused activation moves to the affine op.
 */
abstract class FoldIntoAffine implements Rewrite {
  private final Set<OpType> binaryTypes;
  private final Set<OpType> commutative;

  FoldIntoAffine(Set<OpType> binaryTypes, Set<OpType> commutative) {
    this.binaryTypes = binaryTypes;
    this.commutative = commutative;
  }

  /** Folds {@code c} (one value, or one per output channel) into {@code affine}; returns the op now in its place. */
  abstract Operator fold(Graph graph, Operator affine, AffineOp layout, OpType binary, float[] c);

  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator binary : List.copyOf(graph.operators())) {
      if (!binaryTypes.contains(binary.type())) {
        continue;
      }
      int sides = commutative.contains(binary.type()) ? 2 : 1; // x - c and x / c only: c - x is no affine function of x's weights
      for (int side = 0; side < sides; side++) {
        if (tryFold(graph, binary, binary.input(side), binary.input(1 - side))) {
          changed = true;
          break;
        }
      }
    }
    return changed;
  }

  private boolean tryFold(Graph graph, Operator binary, Tensor operand, Tensor constant) {
    Operator affine = AffineOp.foldableProducer(graph, operand);
    Activation activation = AffineOp.activation(binary);
    if (affine == null || constant == null || !constant.isConstant() || !AffineOp.canTake(affine, activation)
        || !Arrays.equals(binary.output(0).shape(), operand.shape())) {
      return false;
    }
    AffineOp layout = AffineOp.of(affine.type());
    TensorData c = constant.data();
    if (!isPerChannel(c, layout.channels(affine), operand.rank())) {
      return false;
    }
    Operator folded = fold(graph, affine, layout, binary.type(), c.floats());
    AffineOp.setActivation(folded, activation);
    folded.setOutput(0, binary.output(0));
    graph.removeOperators(Set.of(binary));
    return true;
  }

  /** A float scalar, or {@code [1, ..., 1, channels]} of at most the output's rank (so it broadcasts over channels only). */
  static boolean isPerChannel(TensorData c, long channels, int outputRank) {
    if (c.type() != DType.FLOAT32 || c.rank() > outputRank) {
      return false;
    }
    long[] shape = c.shape();
    for (int d = 0; d < shape.length - 1; d++) {
      if (shape[d] != 1) {
        return false;
      }
    }
    return c.elementCount() == 1 || shape[shape.length - 1] == channels;
  }

  /** The constant's value for output channel {@code channel}. */
  static float at(float[] c, int channel) {
    return c.length == 1 ? c[0] : c[channel];
  }
}
