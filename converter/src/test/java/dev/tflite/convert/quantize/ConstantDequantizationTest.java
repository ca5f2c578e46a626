package dev.tflite.convert.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The modes that store weights smaller and DEQUANTIZE them at load time write one DEQUANTIZE per distinct weight: an
 * unrolled recurrent layer reads the same kernel in every step through its own tensor, and one DEQUANTIZE per copy made
 * float16 files of 50-step LSTMs larger than their float32 files.
 */
class ConstantDequantizationTest {
  enum Mode {
    FLOAT16(new Float16Quantizer(), DType.FLOAT16),
    WEIGHT_ONLY_INT8(new WeightOnlyInt8Quantizer(), DType.INT8);

    final Quantizer quantizer;
    final DType stored;

    Mode(Quantizer quantizer, DType stored) {
      this.quantizer = quantizer;
      this.stored = stored;
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void equalWeightsShareOneDequantize(Mode mode) {
    Graph graph = new Graph();
    float[] kernel = values(32 * 32, 1);
    Tensor x = graph.newTensor("x", DType.FLOAT32, new long[] {1, 32}, "x");
    graph.addInput("x", x);
    Tensor step1 = fullyConnected(graph, x, graph.newConstant("step1/kernel", TensorData.ofFloats(new long[] {32, 32}, kernel), "step1"), values(32, 2));
    Tensor step2 = fullyConnected(graph, step1, graph.newConstant("step2/kernel", TensorData.ofFloats(new long[] {32, 32}, kernel.clone()), "step2"), values(32, 3));
    Tensor other = fullyConnected(graph, step2, graph.newConstant("other/kernel", TensorData.ofFloats(new long[] {32, 32}, values(32 * 32, 4)), "other"), values(32, 5));
    graph.addOutput("y", other);

    mode.quantizer.quantize(graph, new QuantizationContext(QuantizationOptions.defaults(), () -> null));

    List<Operator> dequantizes = graph.operators().stream().filter(op -> op.type() == OpType.DEQUANTIZE).toList();
    List<Operator> fcs = graph.operators().stream().filter(op -> op.type() == OpType.FULLY_CONNECTED).toList();
    assertSame(fcs.get(0).input(1), fcs.get(1).input(1), "both steps read one dequantized kernel");
    long storedKernels = graph.tensors().stream().filter(t -> t.isConstant() && t.type() == mode.stored && t.shape().length == 2).count();
    assertEquals(2, storedKernels, "the shared kernel and the other kernel, each stored once; the copy is gone");
    long float32Kernels = graph.tensors().stream().filter(t -> t.isConstant() && t.type() == DType.FLOAT32 && t.shape().length == 2).count();
    assertEquals(0, float32Kernels, "no float32 copy of a kernel is left to be written");
    int expectedDequantizes = mode == Mode.FLOAT16 ? 2 + 3 : 2; // float16 also stores the three distinct biases
    assertEquals(expectedDequantizes, dequantizes.size());
  }

  private static Tensor fullyConnected(Graph graph, Tensor input, Tensor kernel, float[] bias) {
    Tensor out = graph.newTensor(kernel.name() + "/out", DType.FLOAT32, new long[] {1, 32}, kernel.origin());
    Tensor b = graph.newConstant(kernel.name() + "/bias", TensorData.ofFloats(new long[] {32}, bias), kernel.origin());
    graph.addOperator(new Operator(OpType.FULLY_CONNECTED, List.of(input, kernel, b), List.of(out),
        new OpOptions.FullyConnected(Activation.NONE, false, false), kernel.origin()));
    return out;
  }

  private static float[] values(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() - 0.5);
    }
    return v;
  }
}
