package dev.tflite.validation.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.runtime.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortMatcherTest {
  private static TensorSpec spec(String name, String type, long... shape) {
    return new TensorSpec(name, type, shape);
  }

  private static List<String> by(List<PortMatch> matches) {
    return matches.stream().map(m -> m.candidate().name() + "=" + m.original().name() + "/" + m.by()).toList();
  }

  @Test
  void officialConverterDecorationsAreRemovedBeforeNamesAreCompared() {
    assertEquals("x", PortNames.normalize("serving_default_x:0"));
    assertEquals("input_1", PortNames.normalize("input_1_int8"));
    assertEquals("Identity", PortNames.normalize("Identity_uint8"));
    assertEquals("dense/Softmax", PortNames.normalize("dense/Softmax/uint8"));
    assertEquals("StatefulPartitionedCall", PortNames.normalize("StatefulPartitionedCall:0"));
    assertEquals("dense_1/Softmax", PortNames.normalize("dense_1/Softmax"), "a plain name is left alone");
  }

  @Test
  void signatureNamesThenNormalizedNamesThenPositionForTheRest() {
    // two inputs: one exact, one decorated; listed in another order than the original's
    List<PortMatch> inputs = PortMatcher.match("input", List.of(spec("serving_default_mask:0", "float32", 1, 8), spec("tokens", "int32", 1, 8)), false,
        List.of(spec("tokens", "int32", -1, 8), spec("mask", "float32", -1, 8)), false);
    assertEquals(List.of("serving_default_mask:0=mask/name", "tokens=tokens/name"), by(inputs));

    List<PortMatch> outputs = PortMatcher.match("output", List.of(spec("StatefulPartitionedCall:0", "float32", 1, 4),
        spec("StatefulPartitionedCall:1", "float32", 1, 2)), false, List.of(spec("boxes", "float32", -1, 4), spec("scores", "float32", -1, 2)), false);
    assertEquals(List.of("StatefulPartitionedCall:0=boxes/position", "StatefulPartitionedCall:1=scores/position"), by(outputs));

    List<PortMatch> signed = PortMatcher.match("output", List.of(spec("score", "uint8", 1, 2)), true, List.of(spec("score", "float32", -1, 2)), false);
    assertEquals(List.of("score=score/signature"), by(signed), "a quantized port stands for a float one");
  }

  @Test
  void outputsTheTfliteDoesNotComputeAreLeftOutButNeverInputs() {
    List<PortMatch> outputs = PortMatcher.match("output", List.of(spec("prob", "float32", 1, 10)), false,
        List.of(spec("logits", "float32", -1, 10), spec("prob", "float32", -1, 10)), true);
    assertEquals(List.of("prob=prob/name"), by(outputs));
    PortMismatchException e = assertThrows(PortMismatchException.class, () -> PortMatcher.match("input", List.of(spec("x", "float32", 1, 3)), false,
        List.of(spec("x", "float32", -1, 3), spec("training", "bool")), false));
    assertTrue(e.getMessage().contains("1 input ['x' float32[1, 3]] and the original 2 inputs ['x' float32[-1, 3], 'training' bool[]]"), e.getMessage());
  }

  @Test
  void differentCountsNameBothSidesAndTheFix() {
    PortMismatchException e = assertThrows(PortMismatchException.class, () -> PortMatcher.match("input",
        List.of(spec("a", "float32", 1, 4), spec("b", "float32", 1, 4)), false, List.of(spec("x", "float32", -1, 4)), false));
    assertTrue(e.getMessage().contains("the .tflite has 2 inputs ['a' float32[1, 4], 'b' float32[1, 4]] and the original 1 input ['x' float32[-1, 4]]")
        && e.getMessage().contains("0 agree by name") && e.getMessage().contains("SignatureDef"), e.getMessage());
  }

  @Test
  void aPairingThatDoesNotFitSaysWhichDimensionOrType() {
    PortMismatchException shape = assertThrows(PortMismatchException.class, () -> PortMatcher.match("input", List.of(spec("input_1", "float32", 1, 96, 96, 3)),
        false, List.of(spec("flatten_input", "float32", -1, 28, 28)), false));
    assertTrue(shape.getMessage().contains("input 'input_1' float32[1, 96, 96, 3] of the .tflite, paired by position with the original's 'flatten_input'"
        + " float32[-1, 28, 28], does not fit it: rank 4 against 3"), shape.getMessage());
    PortMismatchException dim = assertThrows(PortMismatchException.class, () -> PortMatcher.match("output", List.of(spec("y", "float32", 1, 10)), false,
        List.of(spec("y", "float32", -1, 2)), true));
    assertTrue(dim.getMessage().contains("dimension 1 is 10 against 2") && dim.getMessage().contains("different model"), dim.getMessage());
    PortMismatchException type = assertThrows(PortMismatchException.class, () -> PortMatcher.match("input", List.of(spec("ids", "float32", 1, 8)), false,
        List.of(spec("ids", "int32", -1, 8)), false));
    assertTrue(type.getMessage().contains("element type float32 against int32"), type.getMessage());
  }

  @Test
  void unknownDimensionsAndRanksFitAnything() {
    assertEquals(1, PortMatcher.match("input", List.of(spec("x", "float32", -1, 5)), false, List.of(new TensorSpec("x", "float32", null)), false).size());
    assertEquals(1, PortMatcher.match("input", List.of(spec("x", "float32", 1, 5)), false, List.of(spec("x", "float32", -1, -1)), false).size());
  }
}
