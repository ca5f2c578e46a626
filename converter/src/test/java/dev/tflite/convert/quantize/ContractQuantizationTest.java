package dev.tflite.convert.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Quantization;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.ops.OpContract;
import dev.tflite.convert.ops.OpContracts;
import dev.tflite.convert.quantize.calibrate.TensorRanges;
import dev.tflite.convert.write.OpVersions;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The quantizers do what each op's contract says, checked on small IR graphs built here (no native library): every
 * op with a kernel for the scheme becomes integer, the rest stays float between DEQUANTIZE and QUANTIZE; fixed, shared
 * and free output scales as stated; weights per channel along the contract's axis with the bias on input scale times
 * weight scale; dynamic-range int8 weights exactly for the ops with a hybrid kernel. The expectations are read from
 * the contracts, so a contract changed without the quantizer following fails here.
 */
class ContractQuantizationTest {
  private final SplittableRandom random = new SplittableRandom(5);
  private final Graph graph = new Graph();
  private final TensorRanges ranges = new TensorRanges();
  private int counter;

  /** x -> CONV_2D -> RELU; MAXIMUM(conv, relu) -> MAX_POOL_2D -> LOGISTIC -> DIV by a constant -> CONCATENATION with TANH(pool). */
  private void buildMixedGraph() {
    Tensor x = activation(new long[] {1, 8, 8, 4}, -1, 1);
    graph.addInput("x", x);
    Tensor conv = activation(new long[] {1, 8, 8, 6}, -3, 2.5);
    graph.addOperator(new Operator(OpType.CONV_2D, List.of(x, constant(6, 3, 3, 4), constant(6)), List.of(conv),
        new OpOptions.Conv2D(OpOptions.Padding.SAME, 1, 1, 1, 1, Activation.NONE), "conv"));
    Tensor relu = emit(OpType.RELU, new OpOptions.None(), new long[] {1, 8, 8, 6}, 0, 2.5, conv);
    Tensor max = emit(OpType.MAXIMUM, new OpOptions.None(), new long[] {1, 8, 8, 6}, -1, 2.5, conv, relu);
    Tensor pool = emit(OpType.MAX_POOL_2D, new OpOptions.Pool2D(OpOptions.Padding.VALID, 2, 2, 2, 2, Activation.NONE), new long[] {1, 4, 4, 6}, -1, 2.5,
        max);
    Tensor sigmoid = emit(OpType.LOGISTIC, new OpOptions.None(), new long[] {1, 4, 4, 6}, 0.2, 0.9, pool);
    Tensor divided = emit(OpType.DIV, new OpOptions.Div(Activation.NONE), new long[] {1, 4, 4, 6}, 0.1, 0.45, sigmoid, scalar(2f));
    Tensor tanh = emit(OpType.TANH, new OpOptions.None(), new long[] {1, 4, 4, 6}, -0.8, 0.99, pool);
    Tensor concat = emit(OpType.CONCATENATION, new OpOptions.Concatenation(3, Activation.NONE), new long[] {1, 4, 4, 12}, -0.8, 0.99, divided, tanh);
    graph.addOutput("y", concat);
  }

  @Test
  void int8FollowsTheContracts() {
    buildMixedGraph();
    new IntegerQuantizer(ActivationScheme.INT8).quantize(graph, context());
    checkAgainstContracts(DType.INT8, DType.INT32, true);
  }

  @Test
  void int16FollowsTheContracts() {
    buildMixedGraph();
    new IntegerQuantizer(ActivationScheme.INT16).quantize(graph, context());
    checkAgainstContracts(DType.INT16, DType.INT64, false);
  }

  @Test
  void dynamicRangeQuantizesExactlyTheHybridOps() {
    Tensor x = activation(new long[] {1, 8, 8, 32}, -1, 1);
    graph.addInput("x", x);
    Tensor conv = activation(new long[] {1, 8, 8, 16}, -1, 1);
    graph.addOperator(new Operator(OpType.CONV_2D, List.of(x, constant(16, 3, 3, 32), constant(16)), List.of(conv),
        new OpOptions.Conv2D(OpOptions.Padding.SAME, 1, 1, 1, 1, Activation.NONE), "conv"));
    Tensor transposed = activation(new long[] {1, 16, 16, 8}, -1, 1);
    graph.addOperator(new Operator(OpType.TRANSPOSE_CONV, List.of(int32(1, 16, 16, 8), constant(8, 3, 3, 16), conv), List.of(transposed),
        new OpOptions.TransposeConv(OpOptions.Padding.SAME, 2, 2), "deconv"));
    Tensor flat = activation(new long[] {1, 2048}, -1, 1);
    graph.addOperator(new Operator(OpType.RESHAPE, List.of(transposed, int32(1, 2048)), List.of(flat), new OpOptions.Reshape(new int[] {1, 2048}), "flat"));
    Tensor dense = activation(new long[] {1, 10}, -1, 1);
    graph.addOperator(new Operator(OpType.FULLY_CONNECTED, List.of(flat, constant(10, 2048), constant(10)), List.of(dense),
        new OpOptions.FullyConnected(Activation.NONE, false, false), "dense"));
    graph.addOutput("y", dense);

    new DynamicRangeQuantizer().quantize(graph, context());

    for (Operator op : graph.operators()) {
      OpContract c = OpContracts.of(op.type());
      if (!c.hasWeights()) {
        continue;
      }
      Tensor weights = op.input(c.weightIndex());
      assertEquals(c.hybrid() ? DType.INT8 : DType.FLOAT32, weights.type(), op.type() + " weights");
      if (c.hybrid()) {
        int channels = c.weightAxis() < 0 ? 1 : (int) weights.shape()[c.weightAxis()];
        assertEquals(channels, weights.quantization().scales().length, op.type() + " weight scales");
        assertArrayEquals(new long[channels], weights.quantization().zeroPoints(), op.type() + " weights are symmetric");
        assertEquals(DType.FLOAT32, op.input(c.dataIndex()).type(), op.type() + " activation stays float");
      }
    }
    Operator fc = graph.operators().stream().filter(o -> o.type() == OpType.FULLY_CONNECTED).findFirst().orElseThrow();
    assertTrue(fc.options(OpOptions.FullyConnected.class).asymmetricQuantizeInputs(), "the official converter's asymmetric input quantization");
    assertEquals(9, OpVersions.of(fc), "hybrid FULLY_CONNECTED with asymmetric inputs");
  }

  private void checkAgainstContracts(DType activations, DType bias, boolean int8) {
    int integerOps = 0;
    for (Operator op : graph.operators()) {
      if (op.type() == OpType.QUANTIZE || op.type() == OpType.DEQUANTIZE) {
        continue;
      }
      OpContract c = OpContracts.of(op.type());
      boolean kernel = int8 ? c.int8() : c.int16();
      if (!kernel) {
        assertEquals(DType.FLOAT32, op.output(0).type(), op.type() + " has no kernel: stays float");
        for (Tensor in : op.inputs()) {
          assertTrue(in.isConstant() || graph.producer(in).type() == OpType.DEQUANTIZE, op.type() + " reads its activations through DEQUANTIZE");
        }
        continue;
      }
      integerOps++;
      Quantization out = op.output(0).quantization();
      assertEquals(activations, op.output(0).type(), op.type() + " output type");
      assertNotNull(out, op.type() + " output quantization");
      if (activations == DType.INT16) {
        assertEquals(0, out.zeroPoints()[0], op.type() + ": int16 is symmetric");
      }
      switch (c.outputScale()) {
        case FIXED -> {
          OpContract.FixedScale fixed = int8 ? c.int8Fixed() : c.int16Fixed();
          assertEquals((float) fixed.scale(), out.scales()[0], op.type() + " fixed scale");
          assertEquals(fixed.zeroPoint(), out.zeroPoints()[0], op.type() + " fixed zero point");
        }
        case SAME_AS_INPUT -> assertArrayEquals(op.input(0).quantization().scales(), out.scales(), op.type() + " keeps its input's scale");
        case SAME_AS_INPUTS -> {
          for (Tensor in : op.inputs()) {
            assertArrayEquals(out.scales(), in.quantization().scales(), op.type() + ": every operand on the output's scale");
            assertArrayEquals(out.zeroPoints(), in.quantization().zeroPoints(), op.type() + ": every operand on the output's zero point");
          }
        }
        case FREE -> assertTrue(out.scales()[0] > 0, op.type() + " has a scale from its range");
      }
      if (c.hasWeights()) {
        Tensor w = op.input(c.weightIndex());
        Tensor b = op.input(c.biasIndex());
        Quantization wq = w.quantization();
        assertEquals(DType.INT8, w.type(), op.type() + " weights");
        assertEquals(c.weightAxis() < 0 ? 1 : w.shape()[c.weightAxis()], wq.scales().length, op.type() + " one weight scale per channel");
        assertEquals(bias, b.type(), op.type() + " bias type");
        float inputScale = op.input(c.dataIndex()).quantization().scales()[0];
        for (int i = 0; i < wq.scales().length; i++) {
          assertEquals(inputScale * wq.scales()[i], b.quantization().scales()[i], 1e-6 * inputScale * wq.scales()[i],
              op.type() + " bias scale " + i + " = input scale x weight scale");
        }
      }
    }
    assertTrue(integerOps >= 6, "the graph's integer ops were checked: " + integerOps);
  }

  private QuantizationContext context() {
    return new QuantizationContext(QuantizationOptions.defaults(), () -> ranges);
  }

  private Tensor activation(long[] shape, double min, double max) {
    Tensor t = graph.newTensor("t" + counter++, DType.FLOAT32, shape, "t");
    ranges.observe(t, new float[] {(float) min, (float) max});
    return t;
  }

  private Tensor emit(OpType type, OpOptions options, long[] shape, double min, double max, Tensor... inputs) {
    Tensor out = activation(shape, min, max);
    graph.addOperator(new Operator(type, Arrays.asList(inputs), List.of(out), options, type.name().toLowerCase() + counter));
    return out;
  }

  private Tensor constant(long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() - 0.5);
    }
    return graph.newConstant("c" + counter++, TensorData.ofFloats(shape, v), "c");
  }

  private Tensor scalar(float value) {
    return graph.newConstant("s" + counter++, TensorData.ofFloats(new long[0], new float[] {value}), "s");
  }

  private Tensor int32(long... values) {
    return graph.newConstant("i" + counter++, dev.tflite.convert.ir.ConstantLayouts.int32Vector(values), "i");
  }
}
