package dev.tflite.convert.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.OpType;
import org.junit.jupiter.api.Test;

class RuntimeVersionsTest {
  @Test
  void everyOpTheConverterWritesIsInTheTable() {
    for (OpType op : OpType.values()) {
      assertTrue(RuntimeVersions.versionCounts().containsKey(op), op + " has no row in the runtime-version table");
      assertEquals(new TargetRuntime(1, 5, 0).compareTo(RuntimeVersions.since(op, 1)) <= 0, true, op + " version 1");
    }
  }

  @Test
  void versionsArriveInOrderAndNoneAfterTheOldestValidatedRuntime() {
    RuntimeVersions.versionCounts().forEach((op, count) -> {
      for (int v = 2; v <= count; v++) {
        assertTrue(RuntimeVersions.since(op, v).atLeast(RuntimeVersions.since(op, v - 1)), op + " version " + v + " is older than version " + (v - 1));
      }
      // every version the table lists is one the converter may write for 2.6, so none may need a newer runtime; the one
      // exception is an op that arrived later as a whole (GELU, 2.9), which the passes write only for a target that has it
      if (op != OpType.GELU) {
        assertTrue(RuntimeVersions.registered(op, count, TargetRuntime.DEFAULT), op + " version " + count + " needs " + RuntimeVersions.since(op, count));
      }
    });
  }

  @Test
  void geluIsTheOnlyOpNewerThanTheDefaultTarget() {
    assertEquals("2.9.0", RuntimeVersions.since(OpType.GELU, 1).toString());
    assertFalse(RuntimeVersions.registered(OpType.GELU, 1, TargetRuntime.DEFAULT));
    assertEquals("2.5.0", RuntimeVersions.since(OpType.CONV_3D, 1).toString());
    assertEquals("2.6.0", RuntimeVersions.since(OpType.CONV_3D_TRANSPOSE, 1).toString());
  }

  @Test
  void factsFromTheOfficialTable() {
    assertEquals("1.14.0", RuntimeVersions.since(OpType.CONV_2D, 3).toString()); // int8 convolution
    assertEquals("2.3.0", RuntimeVersions.since(OpType.FULLY_CONNECTED, 9).toString()); // hybrid with asymmetric inputs
    assertEquals("2.6.0", RuntimeVersions.since(OpType.MUL, 5).toString());
    assertEquals("1.13.1", RuntimeVersions.since(OpType.DEQUANTIZE, 1).toString());
    assertThrows(IllegalStateException.class, () -> RuntimeVersions.since(OpType.CONV_2D, 6)); // grouped convolution: never written
  }

  @Test
  void perChannelFullyConnectedNeedsANewerTargetThanTheDefault() {
    assertFalse(RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.availableIn(TargetRuntime.DEFAULT));
    assertTrue(RuntimeVersions.Feature.PER_CHANNEL_FULLY_CONNECTED.availableIn(TargetRuntime.parse("2.18")));
  }

  @Test
  void targetRuntimeParsing() {
    assertEquals(TargetRuntime.DEFAULT, TargetRuntime.parse(null));
    assertEquals(new TargetRuntime(2, 18, 0), TargetRuntime.parse(" 2.18 "));
    assertEquals("2.6", TargetRuntime.parse("2.6.0").label());
    assertTrue(TargetRuntime.parse("2.10").atLeast(TargetRuntime.parse("2.9")), "numeric, not lexical, order");
    assertTrue(assertThrows(ConversionException.class, () -> TargetRuntime.parse("2.5")).getMessage().contains("older than TensorFlow Lite 2.6"));
    assertTrue(assertThrows(ConversionException.class, () -> TargetRuntime.parse("2.19")).getMessage().contains("newest runtime validation can check"));
    assertTrue(assertThrows(ConversionException.class, () -> TargetRuntime.parse("latest")).getMessage().contains("major.minor"));
  }
}
