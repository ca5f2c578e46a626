package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tflite.convert.ir.OpType;
import dev.tflite.convert.legalize.LegalizationRegistry;
import dev.tflite.convert.ops.OpContracts;
import dev.tflite.testmodels.SingleOpModels;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tests that register themselves: every TensorFlow op the converter legalizes is built by at least one conformance
 * row (read from the row's own graph, not declared), and every TensorFlow Lite op with a contract is expected in at
 * least one row's census. Those rows run in float ({@link OpConformanceTest}) and in int8 and int16x8
 * ({@link IntegerOpsConformanceTest}) against TensorFlow, so a new op without a row fails here, and a contract
 * claiming an integer kernel is held to the numbers there.
 */
class OpCoverageTest {
  /** TensorFlow Lite ops no TensorFlow op legalizes to directly, with the reason and where they are tested. */
  static final Map<OpType, String> NOT_LEGALIZED = Map.of(
      OpType.QUANTIZE, "written by the full-integer quantizer at float boundaries: every IntegerOpsConformanceTest row",
      OpType.DEQUANTIZE, "written by the quantizers: every IntegerOpsConformanceTest row and the weight-only modes",
      OpType.RELU_N1_TO_1, "only ever a fused activation (FuseActivation), never emitted as an op",
      OpType.SQUEEZE, "legalized, then always rewritten to RESHAPE (SqueezeToReshape, as the official converter does); the Squeeze row checks it",
      OpType.GELU, "fused from GELU's tanh form only for a target of 2.9 or newer (the rows run the 2.6 default): PatternFusionConformanceTest",
      OpType.UNIDIRECTIONAL_SEQUENCE_LSTM, "written for the Keras importer's LSTM composite (legalize/RecurrentComposites): KerasRealRecurrentTest and"
          + " KerasRecurrentModesTest hold it to Keras and TensorFlow in every mode",
      OpType.UNIDIRECTIONAL_SEQUENCE_RNN, "written for the Keras importer's SimpleRNN composite (legalize/RecurrentComposites): the same tests",
      OpType.EXPAND_DIMS, "written for a reshape inserting a unit dimension only where two or more dimensions are dynamic (a Keras open sequence"
          + " length; rows have one): OpenSequenceLengthTest's Conv1D model against Keras at three lengths, in none, dynamic-range and int8");

  static Stream<OpConformanceTest.Row> allRows() {
    return Stream.concat(OpConformanceTest.rows(), IntegerOpsConformanceTest.extraRows());
  }

  @Test
  void everyLegalizedTensorFlowOpHasARow() {
    Set<String> built = new TreeSet<>();
    allRows().forEach(row -> built.addAll(SingleOpModels.opTypes(row.inputShape(), row.body())));
    Set<String> missing = new TreeSet<>(LegalizationRegistry.standard().all().keySet());
    missing.removeAll(built);
    assertEquals(Set.of(), missing, "TensorFlow ops with a legalization but no conformance row (add a row to OpConformanceTest)");
  }

  @Test
  void everyTfliteOpContractHasARow() {
    Set<String> expected = allRows().flatMap(r -> r.expectedOps().entrySet().stream())
        .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>();
    for (OpType op : OpContracts.all().keySet()) {
      if (!NOT_LEGALIZED.containsKey(op) && !expected.contains(op.name())) {
        missing.add(op.name());
      }
    }
    assertEquals(Set.of(), missing, "TensorFlow Lite ops with a contract that no conformance row expects in its census");
  }
}
