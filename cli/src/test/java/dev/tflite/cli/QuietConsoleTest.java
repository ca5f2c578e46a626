package dev.tflite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tflite.testmodels.RNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line prints its own lines only: no TensorFlow or TensorFlow Lite log lines unless {@code --native-logs},
 * no SLF4J warning. Each command runs in a JVM of its own, as {@code java -jar tflite-cli.jar} does, because the native
 * libraries load, and read their log settings, once per JVM; the runtime classpath there is this test's (the jar's
 * lib/ plus test classes).
 */
class QuietConsoleTest {
  /** TensorFlow's and TensorFlow Lite's own log lines (the same patterns as the runtime module's NativeLogsTest). */
  private static final Pattern NATIVE_LINE = Pattern.compile("tensorflow/|cpu_feature_guard|absl::InitializeLog|XNNPACK|TensorFlow Lite runtime"
      + "|^(INFO|VERBOSE): |^[IWE]\\d{4} \\d\\d:\\d\\d:\\d\\d|^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWE] ");
  private static final Pattern SLF4J_LINE = Pattern.compile("^SLF4J: ");

  @TempDir
  Path dir;

  @Test
  void convertAndValidatePrintOnlyTheirOwnLines() throws Exception {
    // a Keras .h5 reads through jhdf, which logs through SLF4J; int8 also runs calibration in TensorFlow
    List<String> convert = cli("convert", "--source", Path.of("..", "fixtures", "keras-h5-cnn", "digit_classifier.h5").toAbsolutePath().toString(),
        "--out", dir.resolve("digits.tflite").toString(), "--quantization", "int8", "--calibration-samples", "4");
    assertTrue(convert.stream().anyMatch(l -> l.contains("int8: digits.tflite")), String.join("\n", convert));
    assertEquals(List.of(), matching(convert, NATIVE_LINE), "native log lines while converting");
    assertEquals(List.of(), matching(convert, SLF4J_LINE), "SLF4J has a provider");

    // validation runs TensorFlow, TensorFlow Lite 2.18 and 2.6.2
    List<String> validate = cli(validateRNet());
    assertTrue(validate.stream().anyMatch(l -> l.startsWith("PASSED")), String.join("\n", validate));
    assertEquals(List.of(), matching(validate, NATIVE_LINE), "native log lines while validating");
  }

  @Test
  void nativeLogsFlagShowsThem() throws Exception {
    List<String> validate = cli(withFlag(validateRNet()));
    assertTrue(validate.stream().anyMatch(l -> l.contains("tensorflow/cc/saved_model")), "TensorFlow's lines:\n" + String.join("\n", validate));
    assertTrue(validate.contains("INFO: Created TensorFlow Lite XNNPACK delegate for CPU."), "TensorFlow Lite's lines:\n" + String.join("\n", validate));
  }

  /** Arguments validating RNet against its int8 conversion, both made here (in this JVM, whose output is not checked). */
  private String[] validateRNet() throws IOException {
    Path rnet = RNet.export(dir.resolve("rnet"));
    Path tflite = dir.resolve("rnet.tflite");
    assertEquals(0, Main.run("convert", "--source", rnet.toString(), "--out", tflite.toString(), "--quantization", "int8", "--calibration-range", "-1,1"));
    return new String[] {"validate", "--source", rnet.toString(), "--tflite", tflite.toString(), "--range", "-1,1", "--samples", "4",
        "--max-abs-error", "0.1", "--report-dir", dir.resolve("reports").toString()};
  }

  private static String[] withFlag(String[] args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--native-logs");
    return all.toArray(String[]::new);
  }

  private static List<String> matching(List<String> lines, Pattern pattern) {
    return lines.stream().filter(l -> pattern.matcher(l).find()).toList();
  }

  /** Runs the command line in a new JVM; returns its standard output and error, lines interleaved as printed. */
  private static List<String> cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the default is under test, not the caller's setting
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "command finished");
    assertEquals(0, process.exitValue(), output);
    return output.lines().toList();
  }
}
