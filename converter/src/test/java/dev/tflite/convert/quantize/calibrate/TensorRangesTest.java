package dev.tflite.convert.quantize.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Tensor;
import org.junit.jupiter.api.Test;

class TensorRangesTest {
  private final Graph graph = new Graph();
  private final Tensor a = activation("a");
  private final Tensor b = activation("b");
  private final Tensor c = activation("c");
  private final Tensor d = activation("d");
  private final Tensor e = activation("e");
  private final Tensor f = activation("f");
  private final Tensor g = activation("g");
  private final Tensor t = activation("t");

  private Tensor activation(String name) {
    return graph.newTensor(name, DType.FLOAT32, new long[] {1}, name);
  }

  @Test
  void rangesSpanFiniteValuesOverAllObservations() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe(a, new float[] {0.5f, Float.NaN, -2f, Float.POSITIVE_INFINITY, 3f});
    ranges.observe(a, new float[] {Float.NEGATIVE_INFINITY, 7f});
    assertEquals(new TensorRanges.Range(-2, 7), ranges.get(a));
  }

  @Test
  void extremesOfFloatAreFiniteValues() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe(b, new float[] {Float.MAX_VALUE});
    ranges.observe(c, new float[] {-Float.MAX_VALUE, -Float.MAX_VALUE});
    // rounded outward, but never past the largest float (a range must stay finite)
    assertEquals(new TensorRanges.Range(255 * Math.scalb(1.0, 120), Float.MAX_VALUE), ranges.get(b));
    assertEquals(new TensorRanges.Range(-Float.MAX_VALUE, -255 * Math.scalb(1.0, 120)), ranges.get(c));
  }

  @Test
  void onlyNonFiniteValuesGiveNoRange() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe(d, new float[] {Float.NaN, Float.NEGATIVE_INFINITY});
    ranges.observe(e, new float[0]);
    assertNull(ranges.get(d));
    assertNull(ranges.get(e));
  }

  @Test
  void boundsAreRoundedOutwardToEightSignificantBits() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe(f, new float[] {-0.1f, 0.1f});
    // 0.1 = 204.8 * 2^-11: the max rounds up to 205 * 2^-11, the min down to -205 * 2^-11; values on the grid stay
    assertEquals(new TensorRanges.Range(-205 / 2048.0, 205 / 2048.0), ranges.get(f));
    ranges.observe(g, new float[] {0f, 96f});
    assertEquals(new TensorRanges.Range(0, 96), ranges.get(g));
    double widening = (205 / 2048.0 - 0.1f) / 0.1f;
    assertTrue(widening > 0 && widening < 1.0 / 128, "less than 2^-7 of the bound: " + widening);
  }

  @Test
  void lastBitNoiseFromTheKernelsDoesNotChangeTheRange() {
    // oneDNN and Eigen differ in the last bits of an activation; off grid points, the rounded bound is the same
    float[] values = {0.7315f, -3.14159f, 12.345f, 1e-3f};
    for (float v : values) {
      TensorRanges one = new TensorRanges();
      TensorRanges other = new TensorRanges();
      one.observe(t, new float[] {v, -v});
      other.observe(t, new float[] {Math.nextUp(v), -Math.nextDown(v)});
      assertEquals(one.get(t), other.get(t), "for " + v);
    }
  }
}
