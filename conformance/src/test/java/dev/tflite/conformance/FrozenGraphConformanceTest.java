package dev.tflite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tflite.convert.quantize.QuantizationMode;
import dev.tflite.testmodels.SingleOpModels;
import dev.tflite.validation.report.ValidationReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every conformance row again from a frozen GraphDef: the row's graph written as a {@code .pb} (its weights constants,
 * only what the output needs, as {@code freeze_graph} leaves a TF1 model), converted, and compared with TensorFlow
 * running that {@code .pb} on the same seeded inputs, within {@link FloatBound}. A row added to
 * {@link OpConformanceTest} or {@link IntegerOpsConformanceTest} is covered in both source formats without more code.
 */
class FrozenGraphConformanceTest {

  static Stream<OpConformanceTest.Row> rows() {
    return OpCoverageTest.allRows();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void frozenGraphConversionMatchesTensorFlow(OpConformanceTest.Row row, @TempDir Path dir) {
    Path graph = SingleOpModels.exportFrozen(dir.resolve("model.pb"), 11, row.inputShape(), row.body());
    Path tflite = dir.resolve("op.tflite");
    Tflite.convert(graph, QuantizationMode.NONE, tflite, dir.resolve("work"));

    Map<String, Integer> ops = Tflite.opCounts(tflite);
    row.expectedOps().forEach((op, count) -> assertEquals(count, ops.getOrDefault(op, 0), op + " count in " + ops));

    ValidationReport report = Tflite.validate(graph, tflite, Tflite.unbounded(), -2, 2, dir.resolve("work"));
    assertEquals(1, report.outputs().size(), "the frozen graph's one output, y");
    FloatBound.assertMatches(report, tflite, row.name() + " (frozen GraphDef)");
    OpConformanceTest.assertResizes(row, tflite, report);
  }
}
