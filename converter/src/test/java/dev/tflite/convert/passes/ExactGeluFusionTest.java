package dev.tflite.convert.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tflite.convert.ir.OpOptions;
import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.ir.TensorData;
import dev.tflite.convert.target.TargetRuntime;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Exact GELU on IR graphs built as the legalization emits them (Erf and Erfc decomposed into Abramowitz and Stegun's
 * approximation, the outer products as TensorFlow 2.21, Keras 3 and the Keras importer write them): each form becomes
 * one GELU with approximate false for a 2.18 target and computes what the decomposition did; the 2.6 target, another
 * scale inside erf, a changed polynomial coefficient and an intermediate read twice keep the decomposition.
 */
class ExactGeluFusionTest {
  private static final TargetRuntime GELU_TARGET = new TargetRuntime(2, 18, 0);
  private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
  private static final float[] COEFFICIENTS = {1.061405429f, -1.453152027f, 1.421413741f, -0.284496736f, 0.254829592f};

  private static Tensor scalar(TestGraphs g, float v) {
    return g.graph.newConstant("s" + v + "_" + g.graph.tensors().size(), TensorData.ofFloats(new long[0], new float[] {v}), "s");
  }

  /** The legalization's erf (complement false) or erfc decomposition of z, with a5 replaced by {@code a5}. */
  private static Tensor erf(TestGraphs g, Tensor z, boolean complement, float a5) {
    Tensor abs = g.unary(OpType.ABS, z);
    Tensor t = g.binary(OpType.DIV, scalar(g, 1), g.binary(OpType.ADD, g.binary(OpType.MUL, abs, scalar(g, 0.3275911f)), scalar(g, 1)));
    Tensor poly = scalar(g, a5);
    for (int i = 1; i < COEFFICIENTS.length; i++) {
      poly = g.binary(OpType.ADD, g.binary(OpType.MUL, poly, t), scalar(g, COEFFICIENTS[i]));
    }
    Tensor tail = g.binary(OpType.MUL, g.binary(OpType.MUL, poly, t), g.unary(OpType.EXP, g.unary(OpType.NEG, g.binary(OpType.MUL, z, z))));
    Tensor sign = g.binary(OpType.DIV, z, g.binary(OpType.MAXIMUM, abs, scalar(g, 1e-30f)));
    if (!complement) {
      return g.binary(OpType.MUL, sign, g.binary(OpType.SUB, scalar(g, 1), tail));
    }
    return g.binary(OpType.ADD, g.binary(OpType.SUB, scalar(g, 1), sign), g.binary(OpType.MUL, sign, tail));
  }

  private static final Map<String, BiFunction<TestGraphs, Tensor, Tensor>> FORMS = Map.of(
      "TensorFlow 2.21: (0.5 x) erfc(neg(x) / sqrt 2)", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, scalar(g, 0.5f), x),
          erf(g, g.binary(OpType.MUL, g.unary(OpType.NEG, x), scalar(g, INV_SQRT_2)), true, COEFFICIENTS[0])),
      "x * (-1/sqrt 2), 0.5 last: x erfc(..) * 0.5", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, x,
          erf(g, g.binary(OpType.MUL, x, scalar(g, -INV_SQRT_2)), true, COEFFICIENTS[0])), scalar(g, 0.5f)),
      "the Keras importer: x 0.5 (1 + erf(x / sqrt 2))", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, x, scalar(g, 0.5f)),
          g.binary(OpType.ADD, scalar(g, 1), erf(g, g.binary(OpType.DIV, x, scalar(g, (float) Math.sqrt(2))), false, COEFFICIENTS[0]))));

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
      for (int k = 0; k < after.length; k++) {
        // the decomposition's erf is within 1.5e-7 of erf and its ~25 float32 roundings of values below 4 add a few
        // 1e-7; the result is below 2 (inputs in [-2, 2]): 1e-5 absolute is ample and far below a wrong formula
        assertEquals(before[i][k], after[k], 1e-5, "element " + k);
      }
    }
  }

  @Test
  void everyExactFormBecomesOneExactGeluForATargetThatHasIt() {
    FORMS.forEach((name, form) -> {
      TestGraphs g = new TestGraphs(41);
      g.output(form.apply(g, g.input(1, 3, 3, 4)));
      optimizeAndCompare(g, GELU_TARGET);
      assertEquals(Map.of(OpType.GELU, 1), g.census(), name);
      assertFalse(g.last().options(OpOptions.Gelu.class).approximate(), name);
    });
  }

  @Test
  void theDefaultTargetKeepsTheDecomposition() {
    FORMS.forEach((name, form) -> {
      TestGraphs g = new TestGraphs(42);
      g.output(form.apply(g, g.input(1, 3, 3, 4)));
      optimizeAndCompare(g, TargetRuntime.DEFAULT);
      assertEquals(0, g.census().getOrDefault(OpType.GELU, 0), name + ": 2.6 has no GELU " + g.census());
      assertEquals(1, g.census().get(OpType.EXP), name);
    });
  }

  @Test
  void lookAlikesKeepTheDecomposition() {
    Map<String, BiFunction<TestGraphs, Tensor, Tensor>> lookAlikes = Map.of(
        "x / 2 inside erf", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, x, scalar(g, 0.5f)),
            g.binary(OpType.ADD, scalar(g, 1), erf(g, g.binary(OpType.MUL, x, scalar(g, 0.5f)), false, COEFFICIENTS[0]))),
        "a5 changed: not erf", (g, x) -> g.binary(OpType.MUL, g.binary(OpType.MUL, x, scalar(g, 0.5f)),
            g.binary(OpType.ADD, scalar(g, 1), erf(g, g.binary(OpType.MUL, x, scalar(g, INV_SQRT_2)), false, 1.2f))),
        "erfc also read by an ADD", (g, x) -> {
          Tensor erfc = erf(g, g.binary(OpType.MUL, g.unary(OpType.NEG, x), scalar(g, INV_SQRT_2)), true, COEFFICIENTS[0]);
          return g.binary(OpType.ADD, g.binary(OpType.MUL, g.binary(OpType.MUL, scalar(g, 0.5f), x), erfc), erfc);
        });
    lookAlikes.forEach((name, form) -> {
      TestGraphs g = new TestGraphs(43);
      g.output(form.apply(g, g.input(1, 3, 3, 4)));
      optimizeAndCompare(g, GELU_TARGET);
      assertEquals(0, g.census().getOrDefault(OpType.GELU, 0), name + " " + g.census());
    });
  }
}
