package dev.tflite.convert.quantize.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    assertEquals(new TensorRanges.Range(Float.MAX_VALUE, Float.MAX_VALUE), ranges.get(b));
    assertEquals(new TensorRanges.Range(-Float.MAX_VALUE, -Float.MAX_VALUE), ranges.get(c));
  }

  @Test
  void onlyNonFiniteValuesGiveNoRange() {
    TensorRanges ranges = new TensorRanges();
    ranges.observe(d, new float[] {Float.NaN, Float.NEGATIVE_INFINITY});
    ranges.observe(e, new float[0]);
    assertNull(ranges.get(d));
    assertNull(ranges.get(e));
  }
}
