package dev.tflite.convert.passes;

import dev.tflite.convert.ir.ConstantLayouts;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Shapes;
import dev.tflite.convert.ir.Tensor;
import java.util.List;

/** Building RESHAPE ops in passes: the target written for a tensor, with -1 where its one dynamic dimension is. */
final class Reshapes {
  private Reshapes() {}

  static int dynamicCount(Tensor t) {
    int n = 0;
    for (boolean d : t.dynamicDims()) {
      n += d ? 1 : 0;
    }
    return n;
  }

  /** A RESHAPE of {@code input} to {@code output}'s shape; only for outputs with at most one dynamic dimension. */
  static Operator reshape(Graph graph, Tensor input, Tensor output, String origin) {
    long[] target = output.shape();
    boolean[] dynamic = output.dynamicDims();
    for (int i = 0; i < target.length; i++) {
      if (dynamic[i]) {
        target[i] = -1;
      }
    }
    Tensor shape = graph.newConstant(output.name() + "/shape", ConstantLayouts.int32Vector(target), origin);
    return new Operator(OpType.RESHAPE, List.of(input, shape), List.of(output), new OpOptions.Reshape(Shapes.toInts(target)), origin);
  }
}
