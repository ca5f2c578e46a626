package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.Set;

/**
 * MUL(conv(x), c) with a per-output-channel constant c becomes conv(x) with weights and bias scaled by c: the first
 * half of folding an inference batch norm into the preceding convolution or dense layer.
 */
final class FoldScaleIntoWeights implements Pass {
  private static final java.lang.invoke.VarHandle FLOAT32 =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  @Override
  public void run(Graph graph) {
    Patterns.forEachBinary(graph, OpType.MUL, (mul, operand, scale) -> {
      Operator producer = Patterns.exclusiveProducer(graph, operand, Patterns.WEIGHTED);
      if (producer == null || !scale.isConstant() || !fold(graph, producer, scale.data())) {
        return false;
      }
      producer.setOutput(0, mul.output(0));
      graph.removeOperators(Set.of(mul));
      return true;
    });
  }

  private static boolean fold(Graph graph, Operator op, TensorData scale) {
    OpOptions.WithActivation options = (OpOptions.WithActivation) op.options();
    Tensor weights = op.input(1);
    Tensor bias = op.input(2);
    int axis = Patterns.outputChannelAxis(op.type());
    long channels = weights.dim(axis);
    if (options.activation() != Activation.NONE || !weights.isConstant() || bias == null || !bias.isConstant()
        || weights.type() != dev.tflite.convert.ir.DType.FLOAT32 || !isPerChannel(scale, channels)) {
      return false;
    }
    float[] s = scale.floats();
    long inner = 1;
    long[] shape = weights.shape();
    for (int d = axis + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    // Scaled straight from the weight bytes, not through float[]; in place when this op is the weights' only reader and
    // no other constant shares their array (the usual case: legalization made the array for this op).
    byte[] in = weights.data().bytes();
    byte[] owned = graph.consumers(weights).size() == 1
        ? weights.data().exclusiveArray(() -> graph.tensors().stream().filter(Tensor::isConstant).map(Tensor::data).iterator())
        : null;
    byte[] out = owned != null ? owned : new byte[in.length];
    int elements = in.length / Float.BYTES;
    int block = (int) inner; // element i scales by channel (i / inner) % channels
    for (int start = 0; start < elements; start += block) {
      float factor = s.length == 1 ? s[0] : s[(int) ((start / block) % channels)];
      for (int i = start; i < start + block; i++) {
        FLOAT32.set(out, i * Float.BYTES, (float) FLOAT32.get(in, i * Float.BYTES) * factor);
      }
    }
    float[] b = bias.data().floats();
    for (int c = 0; c < b.length; c++) {
      b[c] *= s.length == 1 ? s[0] : s[c];
    }
    op.setInput(1, owned != null ? weights : graph.newConstant(weights.name(), new TensorData(dev.tflite.convert.ir.DType.FLOAT32, shape, out),
        weights.origin()));
    op.setInput(2, graph.newConstant(bias.name(), TensorData.ofFloats(bias.shape(), b), bias.origin()));
    return true;
  }

  static boolean isPerChannel(TensorData c, long channels) {
    if (c.type() != dev.tflite.convert.ir.DType.FLOAT32) {
      return false;
    }
    long[] shape = c.shape();
    if (c.elementCount() == 1) {
      return true;
    }
    for (int d = 0; d < shape.length - 1; d++) {
      if (shape[d] != 1) {
        return false;
      }
    }
    return shape.length > 0 && shape[shape.length - 1] == channels;
  }
}
