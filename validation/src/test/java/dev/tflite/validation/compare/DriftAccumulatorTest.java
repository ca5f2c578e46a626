package dev.tflite.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftAccumulatorTest {
  @Test
  void metricsOverAllSamples() {
    DriftAccumulator acc = new DriftAccumulator();
    acc.add(new float[] {1, 2}, new float[] {1, 2.5f});
    acc.add(new float[] {0, -1}, new float[] {0.1f, -1});
    Metrics m = acc.metrics();
    assertEquals(0.5, m.maxAbsError(), 1e-7);
    assertEquals(0.15, m.meanAbsError(), 1e-7);
    assertEquals(Math.sqrt((0.25 + 0.01) / 4), m.rmse(), 1e-7);
    double dot = 1 + 5 + 0 + 1;
    assertEquals(dot / Math.sqrt(6 * (1 + 6.25 + 0.01 + 1)), m.cosineSimilarity(), 1e-6);
  }

  @Test
  void nanInTheConvertedModelFailsEveryLimit() {
    DriftAccumulator acc = new DriftAccumulator();
    acc.add(new float[] {1, 2}, new float[] {1, Float.NaN});
    Metrics m = acc.metrics();
    List<Tolerance.Violation> violations = new Tolerance(1e3, 1e3, 1e3, -1.0).check(m);
    assertEquals(4, violations.size());
  }

  @Test
  void toleranceChecksOnlyTheLimitsThatAreSet() {
    Metrics m = new Metrics(0.2, 0.01, 0.02, 0.97);
    assertTrue(new Tolerance(null, null, null, null).check(m).isEmpty());
    List<Tolerance.Violation> v = new Tolerance(0.1, null, null, 0.99).check(m);
    assertEquals(List.of(new Tolerance.Violation("maxAbsError", 0.2, 0.1), new Tolerance.Violation("cosineSimilarity", 0.97, 0.99)), v);
    assertFalse(new Tolerance(0.3, 0.02, 0.03, 0.9).check(m).size() > 0);
  }
}
