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
  void classifierAgreementQuantileAndSnr() {
    DriftAccumulator acc = new DriftAccumulator(3);
    acc.add(new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f}, new float[] {0.1f, 0.6f, 0.3f, 0.3f, 0.4f, 0.3f});
    Metrics m = acc.metrics();
    assertEquals(0.5, m.top1Agreement(), 1e-9, "row 1 agrees (class 1), row 2 does not (0 vs 1)");
    assertEquals(1.0, m.top5Agreement(), 1e-9, "with 3 classes every reference class is within the top 5");
    assertEquals(0.2, m.p99AbsError(), 1e-6);
    double signal = 0.01 + 0.49 + 0.04 + 0.25 + 0.09 + 0.04;
    double noise = 0 + 0.01 + 0.01 + 0.04 + 0.01 + 0.01;
    assertEquals(10 * Math.log10(signal / noise), m.snrDb(), 1e-4);
    assertEquals(0.2 / 0.7, m.relativeError(), 1e-6);
  }

  @Test
  void stepToleranceAppliesToIntegerOutputsOnly() {
    Metrics m = new Metrics(0.02, 0.01, 0.01, 1, 0.02, 40, 0.02, null, null);
    Tolerance twoSteps = new Tolerance(null, null, null, null, null, null, null, null, 2.0);
    assertEquals(List.of(new Tolerance.Violation("maxAbsErrorInSteps", 4.0, 2.0)), twoSteps.check(m, 0.005));
    assertTrue(twoSteps.check(m, null).isEmpty(), "float outputs have no quantization step");
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
    Metrics m = new Metrics(0.2, 0.01, 0.02, 0.97, 0.1, 30, 0.05, null, null);
    assertTrue(new Tolerance(null, null, null, null).check(m).isEmpty());
    List<Tolerance.Violation> v = new Tolerance(0.1, null, null, 0.99).check(m);
    assertEquals(List.of(new Tolerance.Violation("maxAbsError", 0.2, 0.1), new Tolerance.Violation("cosineSimilarity", 0.97, 0.99)), v);
    assertFalse(new Tolerance(0.3, 0.02, 0.03, 0.9).check(m).size() > 0);
  }

  @Test
  void referenceSpreadSurvivesSamplesOfAnotherBatchSize() {
    DriftAccumulator acc = new DriftAccumulator();
    acc.add(new float[] {1, 2}, new float[] {1, 2});
    acc.add(new float[] {0, 2}, new float[] {0, 2});
    acc.add(new float[] {5, 5, 5, 5}, new float[] {5, 5, 5, 5}); // batch 2 after batch 1
    assertEquals(1 / 5.0, acc.metrics().referenceSpread(), 1e-9, "the first batch size's range (1) over the largest magnitude (5)");
  }
}
