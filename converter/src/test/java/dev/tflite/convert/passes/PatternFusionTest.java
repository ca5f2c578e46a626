package dev.tflite.convert.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.target.TargetRuntime;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The pattern fusions (HardSwish, L2 normalization, GELU's tanh form) on IR graphs built as legalization emits them:
 * each form becomes its one op and computes what the decomposition did (the test evaluator runs both), and each guard
 * (an intermediate read twice or written as a graph output, another axis, another constant, an older target) keeps
 * the decomposition.
 */
class PatternFusionTest {
  private static final TargetRuntime GELU_TARGET = new TargetRuntime(2, 18, 0);

  /** Runs the pipeline for {@code target}; the graph must compute the same values on three seeded samples. */
  private static void optimizeAndCompare(TestGraphs g, TargetRuntime target) {
    float[][] samples = {g.sample(), g.sample(), g.sample()};
    float[][] before = new float[3][];
    for (int i = 0; i < 3; i++) {
      before[i] = GraphEvaluator.run(g.graph, samples[i]);
    }
    PassPipeline.standard(target).run(g.graph);
    for (int i = 0; i < 3; i++) {
      float[] after = GraphEvaluator.run(g.graph, samples[i]);
      assertEquals(before[i].length, after.length);
      for (int k = 0; k < after.length; k++) {
        // the fused op computes the same formula in another order (and in double in the evaluator): a few float32
        // roundings of values below 10, so 1e-5 absolute is ample
        assertEquals(before[i][k], after[k], 1e-5, "element " + k);
      }
    }
  }

  private static Tensor scalar(TestGraphs g, float v) {
    return g.graph.newConstant("s" + v, TensorData.ofFloats(new long[0], new float[] {v}), "s");
  }

  private static Tensor relu6PlusThree(TestGraphs g, Tensor x) {
    return g.unary(OpType.RELU6, g.binary(OpType.ADD, x, scalar(g, 3)));
  }

  /** Every grouping of x * relu6(x + 3) / 6 the TensorFlow and Keras lowerings write. */
  @Test
  void everyGroupingOfHardSwishBecomesOneHardSwish() {
    Map<String, BiFunction<TestGraphs, Tensor, Tensor>> forms = Map.of(
        "x * relu6(x + 3) / 6", (g, x) -> g.binary(OpType.DIV, g.binary(OpType.MUL, x, relu6PlusThree(g, x)), scalar(g, 6)),
        "x * relu6(x + 3) * (1/6)", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, x, relu6PlusThree(g, x)), scalar(g, 1f / 6)),
        "Keras 3 hard_silu: x * (relu6(x + 3) / 6)", (g, x) -> g.binary(OpType.MUL, x, g.binary(OpType.DIV, relu6PlusThree(g, x), scalar(g, 6))),
        "the Keras importer: x * (relu6(x + 3) * (1/6)), 3 on the left", (g, x) -> g.binary(OpType.MUL,
            g.binary(OpType.MUL, g.unary(OpType.RELU6, g.binary(OpType.ADD, scalar(g, 3), x)), scalar(g, 1f / 6)), x));
    forms.forEach((name, form) -> {
      TestGraphs g = new TestGraphs(21);
      Tensor x = g.input(1, 3, 3, 4);
      g.output(form.apply(g, x));
      optimizeAndCompare(g, TargetRuntime.DEFAULT);
      assertEquals(Map.of(OpType.HARD_SWISH, 1), g.census(), name);
    });
  }

  @Test
  void hardSwishGuardsKeepTheDecomposition() {
    TestGraphs shared = new TestGraphs(22);
    Tensor x = shared.input(1, 3, 3, 4);
    Tensor gate = relu6PlusThree(shared, x);
    Tensor y = shared.binary(OpType.MUL, shared.binary(OpType.MUL, x, gate), scalar(shared, 1f / 6));
    shared.output(shared.binary(OpType.ADD, y, gate)); // the gate is read again: removing it would break that read
    optimizeAndCompare(shared, TargetRuntime.DEFAULT);
    assertEquals(0, shared.census().getOrDefault(OpType.HARD_SWISH, 0), "gate read twice " + shared.census());

    TestGraphs other = new TestGraphs(23);
    Tensor z = other.input(1, 3, 3, 4);
    other.output(other.binary(OpType.MUL, other.binary(OpType.MUL, z, relu6PlusThree(other, z)), scalar(other, 1f / 5)));
    optimizeAndCompare(other, TargetRuntime.DEFAULT);
    assertEquals(0, other.census().getOrDefault(OpType.HARD_SWISH, 0), "divided by 5, not 6");
  }

  private static Tensor squareSumLastAxis(TestGraphs g, Tensor x, boolean squareOp, int axis) {
    Tensor sq = squareOp ? g.unary(OpType.SQUARE, x) : g.binary(OpType.MUL, x, x);
    long[] shape = x.shape().clone();
    shape[axis < 0 ? shape.length + axis : axis] = 1;
    return g.op(OpType.SUM, new OpOptions.Reducer(true), shape, sq, g.graph.newConstant("axes", TensorData.ofInts(new long[] {1}, new int[] {axis}), "a"));
  }

  private static Tensor l2Normalize(TestGraphs g, Tensor x, int axis, float epsilon) {
    Tensor sum = squareSumLastAxis(g, x, true, axis);
    return g.binary(OpType.MUL, x, g.unary(OpType.RSQRT, g.binary(OpType.MAXIMUM, sum, scalar(g, epsilon))));
  }

  @Test
  void l2NormalizeAndUnitNormalizationBecomeOneL2Normalization() {
    TestGraphs tf = new TestGraphs(24);
    Tensor x = tf.input(2, 3, 5);
    tf.output(l2Normalize(tf, x, 2, 1e-12f));
    optimizeAndCompare(tf, TargetRuntime.DEFAULT);
    assertEquals(Map.of(OpType.L2_NORMALIZATION, 1), tf.census(), "tf.math.l2_normalize");

    TestGraphs keras = new TestGraphs(25);
    Tensor k = keras.input(2, 5);
    Tensor sum = squareSumLastAxis(keras, k, false, -1);
    Tensor inverse = keras.binary(OpType.MINIMUM, keras.unary(OpType.RSQRT, sum), scalar(keras, 1e12f));
    keras.output(keras.op(OpType.MUL, new OpOptions.Mul(dev.tflite.convert.ir.Activation.NONE), k.shape(), inverse, k));
    optimizeAndCompare(keras, TargetRuntime.DEFAULT);
    assertEquals(Map.of(OpType.L2_NORMALIZATION, 1), keras.census(), "Keras UnitNormalization (x * x, min(rsqrt, 1e12), x on the right)");
  }

  @Test
  void l2NormalizationGuardsKeepTheDecomposition() {
    TestGraphs axis = new TestGraphs(26);
    Tensor x = axis.input(2, 3, 5);
    axis.output(l2Normalize(axis, x, 1, 1e-12f));
    optimizeAndCompare(axis, TargetRuntime.DEFAULT);
    assertEquals(0, axis.census().getOrDefault(OpType.L2_NORMALIZATION, 0), "not the last axis (the kernel normalizes that one only)");

    TestGraphs epsilon = new TestGraphs(27);
    Tensor e = epsilon.input(2, 5);
    epsilon.output(l2Normalize(epsilon, e, 1, 1e-4f));
    optimizeAndCompare(epsilon, TargetRuntime.DEFAULT);
    assertEquals(0, epsilon.census().getOrDefault(OpType.L2_NORMALIZATION, 0), "eps 1e-4 clamps norms below 1e-2: not the kernel's 1e-6");

    TestGraphs output = new TestGraphs(28);
    Tensor o = output.input(2, 5);
    Tensor sum = squareSumLastAxis(output, o, true, -1);
    output.output(output.binary(OpType.MUL, o, output.unary(OpType.RSQRT, output.binary(OpType.MAXIMUM, sum, scalar(output, 1e-12f)))));
    output.graph.addOutput("norm", sum); // the squared norm is a graph output of its own
    PassPipeline.standard().run(output.graph);
    assertEquals(0, output.census().getOrDefault(OpType.L2_NORMALIZATION, 0), "an intermediate that is a graph output stays");
  }

  /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 pow(x, 3)))) as tf.nn.gelu(approximate=True) writes it. */
  private static Tensor geluTanh(TestGraphs g, Tensor x, boolean powCube) {
    Tensor cube = powCube ? g.binary(OpType.POW, x, scalar(g, 3)) : g.binary(OpType.MUL, g.binary(OpType.MUL, x, x), x);
    Tensor inner = g.binary(OpType.MUL, scalar(g, (float) Math.sqrt(2 / Math.PI)), g.binary(OpType.ADD, x, g.binary(OpType.MUL, scalar(g, 0.044715f), cube)));
    Tensor onePlus = g.binary(OpType.ADD, scalar(g, 1), g.unary(OpType.TANH, inner));
    return g.binary(OpType.MUL, g.binary(OpType.MUL, scalar(g, 0.5f), x), onePlus);
  }

  @Test
  void geluTanhBecomesOneApproximateGeluOnlyForATargetThatHasIt() {
    for (boolean pow : new boolean[] {true, false}) {
      TestGraphs newer = new TestGraphs(29);
      newer.output(geluTanh(newer, newer.input(1, 3, 3, 4), pow));
      optimizeAndCompare(newer, GELU_TARGET);
      assertEquals(Map.of(OpType.GELU, 1), newer.census(), pow ? "cube as POW" : "cube as x * x * x");
      assertTrue(newer.last().options(OpOptions.Gelu.class).approximate());
    }
    TestGraphs old = new TestGraphs(30);
    old.output(geluTanh(old, old.input(1, 3, 3, 4), true));
    optimizeAndCompare(old, TargetRuntime.DEFAULT);
    assertEquals(0, old.census().getOrDefault(OpType.GELU, 0), "2.6 has no GELU: the decomposition stays " + old.census());
    assertEquals(1, old.census().get(OpType.TANH));
  }
}
