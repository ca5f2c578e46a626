package dev.tflite.convert.passes;

import dev.tflite.convert.ir.Activation;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Operator;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Builds small IR graphs for the pass tests, with seeded constants, as legalization would emit them. */
final class TestGraphs {
  final Graph graph = new Graph();
  private final SplittableRandom random;
  private int counter;

  TestGraphs(long seed) {
    random = new SplittableRandom(seed);
  }

  Tensor input(long... shape) {
    Tensor t = graph.newTensor("x", DType.FLOAT32, shape, "x");
    graph.addInput("x", t);
    return t;
  }

  void output(Tensor t) {
    graph.addOutput("y", t);
  }

  Tensor constant(long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return graph.newConstant("c" + counter++, TensorData.ofFloats(shape, v), "c");
  }

  /** A constant with every element {@code value}. */
  Tensor filled(float value, long... shape) {
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    Arrays.fill(v, value);
    return graph.newConstant("f" + counter++, TensorData.ofFloats(shape, v), "f");
  }

  /** Positive values (divisors, batch-norm multipliers). */
  Tensor positive(long... shape) {
    float[] v = constant(shape).data().floats();
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.5f + Math.abs(v[i]);
    }
    return graph.newConstant("p" + counter++, TensorData.ofFloats(shape, v), "p");
  }

  Tensor op(OpType type, OpOptions options, long[] outShape, Tensor... inputs) {
    Tensor out = graph.newTensor(type.name().toLowerCase() + counter++, DType.FLOAT32, outShape, type.name());
    graph.addOperator(new Operator(type, Arrays.asList(inputs), List.of(out), options, type.name()));
    return out;
  }

  /** A 1x1 stride-1 CONV_2D to {@code out} channels with a (seeded) bias, as legalization plus a folded BiasAdd leave it. */
  Tensor conv(Tensor x, long out) {
    long[] s = x.shape();
    return op(OpType.CONV_2D, new OpOptions.Conv2D(OpOptions.Padding.VALID, 1, 1, 1, 1, Activation.NONE), new long[] {s[0], s[1], s[2], out}, x,
        constant(out, 1, 1, s[3]), constant(out));
  }

  Tensor depthwise(Tensor x) {
    long[] s = x.shape();
    return op(OpType.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(OpOptions.Padding.VALID, 1, 1, 1, 1, 1, Activation.NONE), s, x,
        constant(1, 1, 1, s[3]), constant(s[3]));
  }

  Tensor dense(Tensor x, long out) {
    return op(OpType.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, false, false), new long[] {x.dim(0), out}, x,
        constant(out, x.dim(1)), constant(out));
  }

  Tensor binary(OpType type, Tensor a, Tensor b) {
    OpOptions options = switch (type) {
      case ADD -> new OpOptions.Add(Activation.NONE);
      case SUB -> new OpOptions.Sub(Activation.NONE);
      case MUL -> new OpOptions.Mul(Activation.NONE);
      case DIV -> new OpOptions.Div(Activation.NONE);
      default -> new OpOptions.None();
    };
    long[] shape = a.rank() >= b.rank() ? a.shape() : b.shape();
    return op(type, options, shape, a, b);
  }

  Tensor unary(OpType type, Tensor x) {
    return op(type, new OpOptions.None(), x.shape(), x);
  }

  Tensor reshape(Tensor x, long... shape) {
    return op(OpType.RESHAPE, new OpOptions.Reshape(Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()), shape, x,
        graph.newConstant("shape" + counter++, dev.tflite.convert.ir.ConstantLayouts.int32Vector(shape), "shape"));
  }

  float[] sample() {
    long[] shape = graph.inputs().get("x").shape();
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return v;
  }

  Map<OpType, Integer> census() {
    Map<OpType, Integer> counts = new TreeMap<>();
    graph.operators().forEach(op -> counts.merge(op.type(), 1, Integer::sum));
    return counts;
  }

  /** The op writing the graph output. */
  Operator last() {
    return graph.producer(graph.outputs().get("y"));
  }
}
