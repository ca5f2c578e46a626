package dev.tflite.convert.quantize.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorRangesTest {
  @Test
  void rangesSpanFiniteValuesOverAllObservations() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe("a:0", new float[] {0.5f, Float.NaN, -2f, Float.POSITIVE_INFINITY, 3f});
    ranges.observe("a:0", new float[] {Float.NEGATIVE_INFINITY, 7f});
    assertEquals(new TensorRanges.Range(-2, 7), ranges.get("a:0"));
  }

  @Test
  void extremesOfFloatAreFiniteValues() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe("b:0", new float[] {Float.MAX_VALUE});
    ranges.observe("c:0", new float[] {-Float.MAX_VALUE, -Float.MAX_VALUE});
    // rounded outward, but never past the largest float (a range must stay finite)
    assertEquals(new TensorRanges.Range(255 * Math.scalb(1.0, 120), Float.MAX_VALUE), ranges.get("b:0"));
    assertEquals(new TensorRanges.Range(-Float.MAX_VALUE, -255 * Math.scalb(1.0, 120)), ranges.get("c:0"));
  }

  @Test
  void onlyNonFiniteValuesGiveNoRange() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe("d:0", new float[] {Float.NaN, Float.NEGATIVE_INFINITY});
    ranges.observe("e:0", new float[0]);
    assertNull(ranges.get("d:0"));
    assertNull(ranges.get("e:0"));
  }

  @Test
  void boundsAreRoundedOutwardToEightSignificantBits() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe("f:0", new float[] {-0.1f, 0.1f});
    // 0.1 = 204.8 * 2^-11: the max rounds up to 205 * 2^-11, the min down to -205 * 2^-11; values on the grid stay
    assertEquals(new TensorRanges.Range(-205 / 2048.0, 205 / 2048.0), ranges.get("f:0"));
    ranges.observe("g:0", new float[] {0f, 96f});
    assertEquals(new TensorRanges.Range(0, 96), ranges.get("g:0"));
    double widening = (205 / 2048.0 - 0.1f) / 0.1f;
    assertTrue(widening > 0 && widening < 1.0 / 128, "less than 2^-7 of the bound: " + widening);
  }

  @Test
  void lastBitNoiseFromTheKernelsDoesNotChangeTheRange() {
    // oneDNN and Eigen differ in the last bits of an activation; off grid points, the rounded bound is the same
    float[] values = {0.7315f, -3.14159f, 12.345f, 1e-3f};
    for (float v : values) {
      TensorRanges a = new TensorRanges();
      TensorRanges b = new TensorRanges();
      a.observe("t:0", new float[] {v, -v});
      b.observe("t:0", new float[] {Math.nextUp(v), -Math.nextDown(v)});
      assertEquals(a.get("t:0"), b.get("t:0"), "for " + v);
    }
  }
}
