package dev.tflite.convert.passes;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Clamps written as Maximum/Minimum with constants become the activation ops they are, as the official converter
 * matches them: {@code max(x, 0)} is RELU, {@code min(max(x, -1), 1)} and {@code max(min(x, 1), -1)} are RELU_N1_TO_1
 * (inner op read only by the outer one). As activations they can then fuse into the op before.
 */
final class MatchClampActivations implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator op : List.copyOf(graph.operators())) {
      if (op.type() == OpType.MINIMUM || op.type() == OpType.MAXIMUM) {
        changed |= matchReluN1To1(graph, op) || matchRelu(graph, op);
      }
    }
    return changed;
  }

  private static boolean matchRelu(Graph graph, Operator max) {
    Tensor x = operandBesides(max, 0f);
    if (max.type() != OpType.MAXIMUM || x == null) {
      return false;
    }
    graph.replaceOperator(max, new Operator(OpType.RELU, List.of(x), max.outputs(), new OpOptions.None(), max.origin()));
    return true;
  }

  private static boolean matchReluN1To1(Graph graph, Operator outer) {
    boolean minOutside = outer.type() == OpType.MINIMUM;
    Tensor inner = operandBesides(outer, minOutside ? 1f : -1f);
    Operator clamp = inner == null ? null : Patterns.exclusiveProducer(graph, inner, Set.of(minOutside ? OpType.MAXIMUM : OpType.MINIMUM));
    Tensor x = clamp == null ? null : operandBesides(clamp, minOutside ? -1f : 1f);
    if (x == null) {
      return false;
    }
    graph.removeOperators(Set.of(clamp));
    graph.replaceOperator(outer, new Operator(OpType.RELU_N1_TO_1, List.of(x), outer.outputs(), new OpOptions.None(), outer.origin()));
    return true;
  }

  /**
   * The float operand of a binary {@code op} whose other operand is a constant with every element {@code value}, when
   * the result has that operand's shape (the constant broadcasts over it); null otherwise.
   */
  private static Tensor operandBesides(Operator op, float value) {
    for (int side = 0; side < 2; side++) {
      Tensor c = op.input(1 - side);
      Tensor x = op.input(side);
      if (c != null && c.isConstant() && c.type() == DType.FLOAT32 && !x.isConstant() && x.type() == DType.FLOAT32
          && Arrays.equals(x.shape(), op.output(0).shape()) && allEqual(c.data().floats(), value)) {
        return x;
      }
    }
    return null;
  }

  private static boolean allEqual(float[] values, float value) {
    for (float v : values) {
      if (v != value) {
        return false;
      }
    }
    return values.length > 0;
  }
}
