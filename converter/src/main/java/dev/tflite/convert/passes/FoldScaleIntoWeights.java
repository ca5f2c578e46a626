package dev.tflite.convert.passes;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * {@code affine(x) * c} and {@code affine(x) / c} with a scalar or per-output-channel constant c become the op with
 * weights and bias scaled (divided) by c: the scale half of folding an inference batch norm, and constant rescalings.
 * Division stays a division per weight, as the official converter computes it, so the folded values are the same bits.
 */
final class FoldScaleIntoWeights extends FoldIntoAffine {
  private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  FoldScaleIntoWeights() {
    super(Set.of(OpType.MUL, OpType.DIV), Set.of(OpType.MUL));
  }

  @Override
  Operator fold(Graph graph, Operator affine, AffineOp layout, OpType binary, float[] c) {
    boolean divide = binary == OpType.DIV;
    Tensor weights = affine.input(layout.weightsIndex());
    long[] shape = weights.shape();
    long inner = 1;
    for (int d = layout.channelAxis() + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    long channels = shape[layout.channelAxis()];
    // Scaled straight from the weight bytes, not through float[]; in place when this op is the weights' only reader and
    // no other constant shares their array (the usual case: legalization made the array for this op).
    byte[] in = weights.data().bytes();
    byte[] owned = graph.consumers(weights).size() == 1
        ? weights.data().exclusiveArray(() -> graph.tensors().stream().filter(Tensor::isConstant).map(Tensor::data).iterator())
        : null;
    byte[] out = owned != null ? owned : new byte[in.length];
    int elements = in.length / Float.BYTES;
    int block = (int) inner; // element i belongs to channel (i / inner) % channels
    for (int start = 0; start < elements; start += block) {
      float factor = at(c, (int) ((start / block) % channels));
      for (int i = start; i < start + block; i++) {
        float w = (float) FLOAT32.get(in, i * Float.BYTES);
        FLOAT32.set(out, i * Float.BYTES, divide ? w / factor : w * factor);
      }
    }
    if (owned == null) {
      affine.setInput(layout.weightsIndex(), graph.newConstant(weights.name(), new TensorData(DType.FLOAT32, shape, out), weights.origin()));
    }
    if (affine.input(layout.biasIndex()) == null) {
      return affine; // no bias to scale (a transpose-conv written without one)
    }
    float[] b = layout.biasValues(affine);
    for (int ch = 0; ch < b.length; ch++) {
      b[ch] = divide ? b[ch] / at(c, ch) : b[ch] * at(c, ch);
    }
    return layout.withBias(graph, affine, b);
  }
}
