package dev.tflite.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToleranceTest {
  private static Metrics metrics(double maxAbs, double relative, double snrDb, double spread) {
    return new Metrics(maxAbs, maxAbs / 2, maxAbs / 2, 0.999, relative, snrDb, maxAbs, null, null, spread);
  }

  @Test
  void defaultsAreScaleFreeAndAskForInputsThatMoveTheOutput() {
    assertEquals("rel<=1e-4", Tolerance.defaultFor("none").summary());
    assertEquals("snr>=40dB", Tolerance.defaultFor("float16").summary());
    for (String mode : List.of("dynamic-range", "weight-only-int8", "int8", "int16x8")) {
      assertEquals("snr>=20dB", Tolerance.defaultFor(mode).summary(), mode);
      assertEquals(Tolerance.MIN_REFERENCE_SPREAD, Tolerance.defaultFor(mode).minReferenceSpread());
    }
    // the same relative drift passes whatever the output's units: 2e-7 of 3000 and 2e-7 of 1
    assertTrue(Tolerance.defaultFor("none").check(metrics(6e-4, 2e-7, 130, 0.4)).isEmpty());
    assertTrue(Tolerance.defaultFor("none").check(metrics(2e-7, 2e-7, 130, 0.4)).isEmpty());
    assertEquals(List.of("relativeError"), Tolerance.defaultFor("none").check(metrics(0.01, 0.01, 40, 0.4)).stream().map(Tolerance.Violation::metric).toList());
    // a saturated output: perfect agreement, but the inputs did not move it
    List<Tolerance.Violation> saturated = Tolerance.defaultFor("int8").check(metrics(0, 0, Double.POSITIVE_INFINITY, 1e-8));
    assertEquals("referenceSpread", saturated.get(0).metric());
    assertTrue(saturated.get(0).isMinimum());
    assertTrue(Tolerance.defaultFor("int8").withoutReferenceSpread().check(metrics(0, 0, Double.POSITIVE_INFINITY, 1e-8)).isEmpty());
  }

  @Test
  void budgetUsedIsTheWorstLimitsShareOfItsError() {
    assertEquals(0.5, new Tolerance(0.1, null, null, null).budgetUsed(metrics(0.05, 0.05, 30, 1)), 1e-12);
    // 6.02 dB short of the minimum SNR is twice the allowed error RMS
    assertEquals(2.0, Tolerance.defaultFor("int8").budgetUsed(metrics(0.05, 0.05, 20 - 20 * Math.log10(2), 1)), 1e-9);
    assertEquals("abs<=0.05 cos>=0.99", new Tolerance(0.05, null, null, 0.99).summary());
  }
}
