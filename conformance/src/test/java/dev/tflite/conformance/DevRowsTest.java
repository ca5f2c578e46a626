package dev.tflite.conformance;

import dev.tflite.convert.quantize.QuantizationMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DevRowsTest {
  static Stream<Arguments> cases() {
    String only = System.getProperty("dev.mode", "NONE,INT8,INT16X8");
    List<Arguments> all = new ArrayList<>();
    VolumeAndPatternRows.rows().forEach(r -> {
      for (String m : only.split(",")) {
        all.add(Arguments.of(r, m));
      }
    });
    return all.stream();
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void run(OpConformanceTest.Row row, String mode, @TempDir Path dir) {
    if (mode.equals("NONE")) {
      new OpConformanceTest().floatConversionMatchesTensorFlow(row, dir);
    } else {
      new IntegerOpsConformanceTest().fullyIntegerAndCloseToFloat(row, QuantizationMode.valueOf(mode), dir);
    }
  }
}
