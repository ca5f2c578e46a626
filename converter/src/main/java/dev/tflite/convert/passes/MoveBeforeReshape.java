package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Element-wise ops move in front of the reshape they follow, so they meet the op that produced the values: a bias Add
 * after a Conv1D's Squeeze, or a ReLU after it, reaches the CONV_2D and folds or fuses into it. The official
 * converter's rules and guards:
 * <ul>
 *   <li>ADD / SUB / MUL / DIV of a RESHAPE or SQUEEZE result and a constant, where the constant's shape is the tail of both the
 *   reshape's input and output shapes (so it meets the same elements either way) and no tensor has rank above 4;
 *   <li>EXP / NEG / RELU / RELU6 / RELU_N1_TO_1 / TANH after RESHAPE, SQUEEZE or TRANSPOSE.
 * </ul>
 * Each only where the reshape's result has no other reader.
 */
final class MoveBeforeReshape implements Rewrite {
  private static final Set<OpType> BINARY = Set.of(OpType.ADD, OpType.SUB, OpType.MUL, OpType.DIV);
  private static final Set<OpType> UNARY = Set.of(OpType.EXP, OpType.NEG, OpType.RELU, OpType.RELU6, OpType.RELU_N1_TO_1, OpType.TANH);
  private static final Set<OpType> MOVES = Set.of(OpType.RESHAPE, OpType.SQUEEZE, OpType.TRANSPOSE);

  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator op : List.copyOf(graph.operators())) {
      if (UNARY.contains(op.type())) {
        changed |= tryMove(graph, op, 0, Patterns.exclusiveProducer(graph, op.input(0), MOVES));
      } else if (BINARY.contains(op.type())) {
        for (int side = 0; side < 2; side++) {
          // SQUEEZE: what SqueezeToReshape leaves where two dimensions are dynamic (a Conv1D over an open length)
          Operator reshape = Patterns.exclusiveProducer(graph, op.input(side), Set.of(OpType.RESHAPE, OpType.SQUEEZE));
          if (reshape != null && constantFitsBothShapes(op, side, reshape) && tryMove(graph, op, side, reshape)) {
            changed = true;
            break;
          }
        }
      }
    }
    return changed;
  }

  private static boolean constantFitsBothShapes(Operator binary, int side, Operator reshape) {
    Tensor constant = binary.input(1 - side);
    Tensor reshaped = reshape.output(0);
    Tensor source = reshape.input(0);
    return constant != null && constant.isConstant() && Arrays.equals(binary.output(0).shape(), reshaped.shape())
        && constant.rank() <= 4 && reshaped.rank() <= 4 && source.rank() <= 4
        && isTail(constant.shape(), reshaped.shape()) && isTail(constant.shape(), source.shape());
  }

  /** {@code tail} equals the trailing dimensions of {@code shape} (so broadcasting it never changes the shape). */
  static boolean isTail(long[] tail, long[] shape) {
    if (tail.length > shape.length) {
      return false;
    }
    for (int i = 1; i <= tail.length; i++) {
      if (tail[tail.length - i] != shape[shape.length - i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code op(move(x))} becomes {@code move(op(x))}: op writes a new tensor of x's shape, the move op writes op's old output. */
  private static boolean tryMove(Graph graph, Operator op, int side, Operator move) {
    if (move == null) {
      return false;
    }
    Tensor x = move.input(0);
    Tensor y = op.output(0);
    Tensor moved = graph.newTensor(y.name() + "/before_" + move.type().name().toLowerCase(), y.type(), x.shape(), op.origin());
    moved.setDynamicDims(x.dynamicDims());
    moved.setSourceTensor(y.sourceTensor()); // the same values in another shape: calibration ranges still apply
    List<Tensor> inputs = new ArrayList<>(op.inputs());
    inputs.set(side, x);
    List<Tensor> moveInputs = new ArrayList<>(move.inputs());
    moveInputs.set(0, moved);
    graph.replaceOperator(move, new Operator(op.type(), inputs, List.of(moved), op.options(), op.origin()));
    graph.replaceOperator(op, new Operator(move.type(), moveInputs, List.of(y), move.options(), move.origin()));
    return true;
  }
}
