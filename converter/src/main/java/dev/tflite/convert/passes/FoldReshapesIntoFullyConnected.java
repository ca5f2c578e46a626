package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * A dense layer on a sequence or an image, lowered as Keras' tensordot is (RESHAPE to [rows, features],
 * FULLY_CONNECTED, RESHAPE back to the leading dimensions), becomes one FULLY_CONNECTED with keep_num_dims: the op
 * the official converter writes for a Dense on a 3-D input. The kernel computes the output's leading dimensions from
 * its input at run time, so the model follows every dynamic dimension of them (batch and sequence length both; the
 * two RESHAPEs could carry only one as -1).
 */
final class FoldReshapesIntoFullyConnected implements Rewrite {
  @Override
  public boolean rewrite(Graph graph) {
    boolean changed = false;
    for (Operator outer : java.util.List.copyOf(graph.operators())) {
      if (outer.type() != OpType.RESHAPE) {
        continue;
      }
      Operator fc = Patterns.exclusiveProducer(graph, outer.input(0), Set.of(OpType.FULLY_CONNECTED));
      if (fc == null || fc.options(OpOptions.FullyConnected.class).keepNumDims() || fc.output(0).shape().length != 2) {
        continue;
      }
      Operator inner = Patterns.exclusiveProducer(graph, fc.input(0), Set.of(OpType.RESHAPE));
      if (inner == null || !restoresLeadingDims(inner.input(0), fc.input(0), outer.output(0), fc.output(0).shape()[1])) {
        continue;
      }
      OpOptions.FullyConnected o = fc.options(OpOptions.FullyConnected.class);
      fc.setOptions(new OpOptions.FullyConnected(o.activation(), true, o.asymmetricQuantizeInputs()));
      fc.setInput(0, inner.input(0));
      graph.removeOperators(Set.of(inner, outer));
      fc.setOutput(0, outer.output(0));
      changed = true;
    }
    return changed;
  }

  /**
   * {@code x} [d..., features] was flattened to {@code rows} [n, features] and {@code y} is [d..., units]: the same
   * leading dimensions, static and dynamic alike, so the reshapes only hid them from the product.
   */
  private static boolean restoresLeadingDims(Tensor x, Tensor rows, Tensor y, long units) {
    long[] in = x.shape();
    long[] out = y.shape();
    if (in.length < 3 || out.length != in.length || rows.shape().length != 2 || in[in.length - 1] != rows.shape()[1] || out[out.length - 1] != units) {
      return false;
    }
    int lead = in.length - 1;
    return Arrays.equals(Arrays.copyOf(in, lead), Arrays.copyOf(out, lead))
        && Arrays.equals(Arrays.copyOf(x.dynamicDims(), lead), Arrays.copyOf(y.dynamicDims(), lead)) && !y.dynamicDims()[lead];
  }
}
