package dev.tflite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.testmodels.RNet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path dir;

  @Test
  void convertsAndValidatesWithTheSameReportsAsThePlugin() throws Exception {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Path out = dir.resolve("rnet.tflite");
    assertEquals(0, Main.run("convert", "--source", rnet.toString(), "--out", out.toString(), "--quantization", "int8", "--calibration-range", "-1,1"));
    assertTrue(Files.size(out) > 0);
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.run("validate", "--source", rnet.toString(), "--tflite", out.toString(), "--range", "-1,1", "--max-abs-error", "0.1",
        "--report-dir", reports.toString()));
    assertTrue(Files.readString(reports.resolve("rnet.json")).contains("\"passed\" : true"));
    assertEquals(1, Main.run("validate", "--source", rnet.toString(), "--tflite", out.toString(), "--max-abs-error", "1e-7",
        "--report-dir", reports.toString()), "drift beyond tolerance exits 1");
  }

  @Test
  void badInputExitsNonZeroWithAMessage() {
    assertEquals(1, Main.run("convert", "--source", dir.resolve("missing").toString(), "--out", dir.resolve("x.tflite").toString()));
    assertEquals(1, Main.run("convert", "--source", dir.toString(), "--out", dir.resolve("x.tflite").toString(), "--quantization", "int4"));
    assertEquals(2, Main.run("convert", "--out", "x.tflite"), "missing --source is a usage error");
  }
}
