package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A PACK of every element of one tensor along an axis, in order (each a STRIDED_SLICE taking element t whole and
 * shrinking the axis), is that tensor: the steps a loop read one by one ({@code x[:, t, :]}), stacked again as a fused
 * sequence op's input. The slices stay while anything else reads them.
 */
final class PackOfSlices implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator pack : List.copyOf(graph.operators())) {
      if (pack.type() != OpType.PACK || !graph.operators().contains(pack)) {
        continue;
      }
      Tensor whole = unsliced(graph, pack);
      if (whole == null || !Arrays.equals(whole.shape(), pack.output(0).shape()) || !Arrays.equals(whole.dynamicDims(), pack.output(0).dynamicDims())
          || graph.isGraphOutput(pack.output(0))) {
        continue;
      }
      graph.removeOperators(Set.of(pack));
      graph.replaceUses(pack.output(0), whole);
      changed = true;
    }
    return changed;
  }

  /** The tensor the PACK's inputs are every element of, in order, or null. */
  private static Tensor unsliced(Graph graph, Operator pack) {
    int axis = pack.options(OpOptions.Pack.class).axis();
    Tensor source = null;
    for (int t = 0; t < pack.inputs().size(); t++) {
      Operator slice = graph.producer(pack.input(t));
      if (slice == null || slice.type() != OpType.STRIDED_SLICE || (source != null && slice.input(0) != source)) {
        return null;
      }
      source = slice.input(0);
      int at = SelectFromPack.element(slice, axis < 0 ? axis + source.rank() : axis, source.dim(axis < 0 ? axis + source.rank() : axis));
      if (at != t) {
        return null;
      }
    }
    return source != null && source.dim(axis < 0 ? axis + source.rank() : axis) == pack.inputs().size() ? source : null;
  }
}
