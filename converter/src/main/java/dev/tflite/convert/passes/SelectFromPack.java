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
 * A STRIDED_SLICE that takes one whole element of a PACK along the packed axis (the axis shrunk, every other one
 * taken whole) reads that element of the PACK's inputs instead: a recurrent loop's last output written into a list
 * and read back ({@code outputs[-1]} of Keras' return_sequences=False) around a fused sequence op. The PACK stays
 * while anything else reads it.
 */
final class SelectFromPack implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator slice : List.copyOf(graph.operators())) {
      if (slice.type() != OpType.STRIDED_SLICE) {
        continue;
      }
      Operator pack = graph.producer(slice.input(0));
      Tensor selected = pack == null || pack.type() != OpType.PACK ? null : selected(slice, pack);
      if (selected == null || !Arrays.equals(selected.shape(), slice.output(0).shape())
          || !Arrays.equals(selected.dynamicDims(), slice.output(0).dynamicDims())) {
        continue;
      }
      if (!Patterns.bypass(graph, slice, selected)) {
        continue;
      }
      if (graph.consumers(pack.output(0)).isEmpty() && !graph.isGraphOutput(pack.output(0))) {
        graph.removeOperators(Set.of(pack));
      }
      changed = true;
    }
    return changed;
  }

  /** The PACK input the slice takes whole, or null when it takes anything else. */
  private static Tensor selected(Operator slice, Operator pack) {
    int axis = pack.options(OpOptions.Pack.class).axis();
    int rank = pack.output(0).rank();
    int n = pack.inputs().size();
    int index = element(slice, axis < 0 ? axis + rank : axis, n);
    return index >= 0 ? pack.input(index) : null;
  }

  /**
   * Which element along {@code axis} (of {@code length}) a STRIDED_SLICE takes whole, shrinking that axis and taking
   * every other axis whole; -1 for any other slice. PackOfSlices reads slices the same way.
   */
  static int element(Operator slice, int axis, long length) {
    if (!(slice.options() instanceof OpOptions.StridedSlice options) || !slice.input(1).isConstant() || !slice.input(2).isConstant()
        || !slice.input(3).isConstant()) {
      return -1;
    }
    int[] begin = slice.input(1).data().ints();
    int[] strides = slice.input(3).data().ints();
    if (options.shrinkAxisMask() != 1 << axis || begin.length <= axis || Arrays.stream(strides).anyMatch(s -> s != 1)) {
      return -1;
    }
    for (int d = 0; d < begin.length; d++) {
      boolean whole = (options.beginMask() & (1 << d)) != 0 && (options.endMask() & (1 << d)) != 0;
      if (d != axis && !whole) {
        return -1;
      }
    }
    long index = begin[axis] < 0 ? begin[axis] + length : begin[axis];
    return (options.beginMask() & (1 << axis)) == 0 && index >= 0 && index < length ? (int) index : -1;
  }
}
