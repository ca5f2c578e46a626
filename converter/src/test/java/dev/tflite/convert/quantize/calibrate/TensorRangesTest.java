package dev.tflite.convert.quantize.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    assertEquals(new TensorRanges.Range(Float.MAX_VALUE, Float.MAX_VALUE), ranges.get("b:0"));
    assertEquals(new TensorRanges.Range(-Float.MAX_VALUE, -Float.MAX_VALUE), ranges.get("c:0"));
  }

  @Test
  void onlyNonFiniteValuesGiveNoRange() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe("d:0", new float[] {Float.NaN, Float.NEGATIVE_INFINITY});
    ranges.observe("e:0", new float[0]);
    assertNull(ranges.get("d:0"));
    assertNull(ranges.get("e:0"));
  }
}
