package dev.tflite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.testmodels.RNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** The real Keras 2 fixture and the official converter's float file of it, committed in the repository's fixtures/. */
  static final Path KERAS_H5 = Path.of("../fixtures/keras-h5-cnn/digit_classifier.h5");
  static final Path OFFICIAL_FLOAT = Path.of("../fixtures/keras-h5-cnn/official_float32.tflite");

  @Test
  void validatesAFileItDidNotMakeAgainstAKerasSource() throws Exception {
    Path reports = dir.resolve("reports");
    // the official float file against the Keras file's own layers run in TensorFlow: float rounding only
    assertEquals(0, Main.run("validate", "--source", KERAS_H5.toString(), "--tflite", OFFICIAL_FLOAT.toString(), "--quantization", "none",
        "--report-dir", reports.toString()));
    String json = Files.readString(reports.resolve("official_float32.json"));
    assertTrue(json.contains("\"passed\" : true") && json.contains("Keras layers lowered to TensorFlow ops"), json);
    // and the negative-control .h5 (another model's weights) against the same file fails on drift, under the default tolerance
    Path other = dir.resolve("other");
    assertEquals(1, Main.run("validate", "--source", KERAS_H5.resolveSibling("other_model_negative_control.h5").toString(), "--tflite",
        OFFICIAL_FLOAT.toString(), "--quantization", "none", "--report-dir", other.toString()));
    String failed = Files.readString(other.resolve("official_float32.json"));
    assertTrue(failed.contains("\"passed\" : false") && failed.contains("relativeError"), failed);
  }

  @Test
  void validatesASignaturelessOfficialFileWithIntegerIo() throws Exception {
    // the old converter's uint8 file has no SignatureDef: ports are paired by name, uint8 I/O through the file's scales
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.run("validate", "--source", "../fixtures/tf1-frozen-qat/frozen_model.pb", "--tflite",
        "../fixtures/tf1-frozen-qat/official_toco_uint8.tflite", "--quantization", "int8", "--report-dir", reports.toString()));
    String json = Files.readString(reports.resolve("official_toco_uint8.json"));
    assertTrue(json.contains("\"matchedBy\" : \"name\"") && json.contains("\"passed\" : true"), json);
  }

  @Test
  void runConvertsAndValidatesWithPerOutputTolerancesAsThePluginDoes() throws Exception {
    Path out = dir.resolve("digits.tflite");
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.run("run", "--source", KERAS_H5.toString(), "--out", out.toString(), "--quantization", "dynamic-range",
        "--output-tolerance", "dense_1:maxAbsError=0.05,minCosineSimilarity=0.99", "--report-dir", reports.toString()));
    String json = Files.readString(reports.resolve("digits.json"));
    assertTrue(json.contains("\"maxAbsError\" : 0.05"), "the per-output tolerance is the one checked: " + json);
    assertEquals(1, Main.run("run", "--source", KERAS_H5.toString(), "--out", out.toString(), "--quantization", "dynamic-range",
        "--output-tolerance", "dense_1:maxAbsError=1e-9", "--report-dir", reports.toString()), "a per-output tolerance fails the run");
  }

  @Test
  void configurationProblemsAreSpelledAsOptions() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertEquals(1, Main.run("run", "--source", KERAS_H5.toString(), "--out", dir.resolve("x.tflite").toString(), "--samples", "0",
          "--quantization", "int4", "--on-drift", "retry"));
    } finally {
      System.setErr(saved);
    }
    String message = err.toString();
    assertTrue(message.contains("(3 problem(s))"), message);
    assertTrue(message.contains("--samples 0 must be at least 1"), message);
    assertTrue(message.contains("--quantization int4 is not a quantization mode"), message);
    assertTrue(message.contains("--on-drift retry is not a choice"), message);
    assertTrue(!message.contains("<"), "no POM elements in CLI messages: " + message);
  }

  @Test
  void validatesAGraphWithDilatedConvolutionsThroughTheConvertersFrozenGraph() throws Exception {
    // a SavedModel whose Conv2D node carries dilations: TensorFlow's plain CPU kernel (no oneDNN, i.e. AVX2-only
    // machines) refuses it, so validation runs the converter's frozen graph, where it is in the SpaceToBatchND form
    Path model = dev.tflite.testmodels.SingleOpModels.export(dir.resolve("dilated"), 3, new long[] {1, 11, 13, 3},
        (tf, x, w) -> tf.nn.conv2d(x, tf.constantOf(w.uniform(0.5, 3, 3, 3, 4)), List.of(1L, 1L, 1L, 1L), "SAME",
            org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, 2L, 2L, 1L))));
    Path out = dir.resolve("dilated.tflite");
    assertEquals(0, Main.run("convert", "--source", model.toString(), "--out", out.toString(), "--quantization", "none"));
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.run("validate", "--source", model.toString(), "--tflite", out.toString(), "--quantization", "none", "--report-dir",
        reports.toString()));
    String json = Files.readString(reports.resolve("dilated.json"));
    assertTrue(json.contains("the converter's frozen graph, dilated convolutions as SpaceToBatchND") && json.contains("\"passed\" : true"), json);
  }

  @Test
  void runConvertsTheObjectGraphFunctionNamedBySignature() throws Exception {
    // a tf.Module with three @tf.function methods saved without signatures=: --signature names the method
    Path source = Path.of("../fixtures/generated/savedmodel-functions/two_heads");
    Path out = dir.resolve("score.tflite");
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.run("run", "--source", source.toString(), "--signature", "score", "--out", out.toString(), "--quantization", "none",
        "--report-dir", reports.toString()));
    String json = Files.readString(reports.resolve("score.json"));
    assertTrue(json.contains("\"signature\" : \"score\"") && json.contains("\"passed\" : true"), json);

    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertEquals(1, Main.run("run", "--source", source.toString(), "--out", dir.resolve("any.tflite").toString(), "--quantization", "none"));
    } finally {
      System.setErr(saved);
    }
    assertTrue(err.toString().contains("3 functions in its object graph") && err.toString().contains("predict(x: float32[-1,6])"), err.toString());
  }

  @Test
  void badInputExitsNonZeroWithAMessage() {
    assertEquals(1, Main.run("convert", "--source", dir.resolve("missing").toString(), "--out", dir.resolve("x.tflite").toString()));
    assertEquals(1, Main.run("convert", "--source", dir.toString(), "--out", dir.resolve("x.tflite").toString(), "--quantization", "int4"));
    assertEquals(2, Main.run("convert", "--out", "x.tflite"), "missing --source is a usage error");
  }

  @Test
  void runEmbedsMetadataAndGatesAgainstAPreviousFile() throws Exception {
    Path labels = Files.writeString(dir.resolve("digits.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
    Path out = dir.resolve("digits.tflite");
    Path reports = dir.resolve("reports");
    // the previous release: the official converter's float file of the same Keras model
    assertEquals(0, Main.run("run", "--source", KERAS_H5.toString(), "--out", out.toString(), "--quantization", "dynamic-range",
        "--metadata-name", "Digits", "--metadata-version", "2", "--input-content", "image", "--input-color-space", "GRAYSCALE",
        "--input-mean", "0", "--input-std", "255", "--output-labels", "dense_1=" + labels, "--baseline", OFFICIAL_FLOAT.toString(),
        "--baseline-tolerance", "minTop1Agreement=0.9", "--report-dir", reports.toString()));
    String json = Files.readString(reports.resolve("digits.json"));
    assertTrue(json.contains("\"name\" : \"Digits\"") && json.contains("\"labelsFile\" : \"digits.txt\""), json);
    assertTrue(json.contains("\"baseline\" : {") && json.contains("\"sizeRatio\""), json);

    Path three = Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream savedErr = System.err;
    java.io.PrintStream savedOut = System.out;
    System.setErr(new java.io.PrintStream(err, true));
    System.setOut(new java.io.PrintStream(err, true));
    try {
      assertEquals(1, Main.run("convert", "--source", KERAS_H5.toString(), "--out", dir.resolve("bad.tflite").toString(),
          "--output-labels", three.toString()));
    } finally {
      System.setErr(savedErr);
      System.setOut(savedOut);
    }
    assertTrue(err.toString().contains("--output-labels dense_1=" + three + " has 3 lines but output 'dense_1' has 10 classes"), err.toString());
  }
}
