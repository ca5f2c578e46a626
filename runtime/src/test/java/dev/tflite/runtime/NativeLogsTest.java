package dev.tflite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The native runtimes' routine log lines stay off the console unless asked for. Each case runs {@link NativeLogsProbe}
 * in a JVM of its own, since the libraries load, and read their settings, once per JVM. Run by hand with
 * TF_ENABLE_ONEDNN_OPTS=0 and =1 too: oneDNN adds a line of its own at load.
 */
class NativeLogsTest {
  /**
   * What TensorFlow's and TensorFlow Lite's own logging looks like: TensorFlow's source paths and its
   * {@code 2026-01-01 10:00:00.000000: I ...} and absl {@code I0000 00:00:00...} prefixes, its CPU-feature notice, absl's
   * initialization notice, TensorFlow Lite's {@code INFO:} lines and its delegate.
   */
  static final Pattern NATIVE_LINE = Pattern.compile("tensorflow/|cpu_feature_guard|absl::InitializeLog|XNNPACK|TensorFlow Lite runtime"
      + "|^(INFO|VERBOSE): |^[IWE]\\d{4} \\d\\d:\\d\\d:\\d\\d|^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWE] ");

  @Test
  void quietByDefaultWithErrorsStillShown() throws Exception {
    List<String> lines = runProbe();
    assertTrue(lines.contains(NativeLogsProbe.MARKER + "TensorFlow ran") && lines.contains(NativeLogsProbe.MARKER + "TensorFlow Lite 2.18.0 ran")
        && lines.contains(NativeLogsProbe.MARKER + "TensorFlow Lite 2.6.2 ran"), "the probe ran every runtime:\n" + String.join("\n", lines));
    assertEquals(List.of(), lines.stream().filter(l -> NATIVE_LINE.matcher(l).find()).toList(), "no native log line in quiet mode");
    assertTrue(lines.contains("ERROR: The model is not a valid Flatbuffer buffer"), "TensorFlow Lite's errors still show:\n" + String.join("\n", lines));
    assertTrue(lines.contains(NativeLogsProbe.MARKER + "truncated file refused"));
  }

  @Test
  void theSystemPropertyShowsThem() throws Exception {
    List<String> lines = runProbe("-D" + NativeLogs.PROPERTY + "=true");
    assertTrue(lines.stream().anyMatch(l -> l.contains("tensorflow/cc/saved_model")), "TensorFlow's lines:\n" + String.join("\n", lines));
    assertTrue(lines.contains("INFO: Created TensorFlow Lite XNNPACK delegate for CPU."), "TensorFlow Lite 2.18's lines:\n" + String.join("\n", lines));
  }

  @Test
  void capturedStandardErrorKeepsAllButRoutineLinesEvenWhenTheWorkFails() throws Exception {
    List<String> lines = runJava(List.of(), NativeStderrProbe.class);
    // sorted: standard output and error are two streams, their interleaving is not the point
    assertEquals(List.of("E something went wrong", "probe: load failed", "probe: standard error restored"), lines.stream().sorted().toList());
  }

  private static List<String> runProbe(String... jvmOptions) throws IOException, InterruptedException {
    return runJava(List.of(jvmOptions), NativeLogsProbe.class, Path.of("..", "fixtures").toAbsolutePath().toString());
  }

  private static List<String> runJava(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("TF_CPP_MIN_LOG_LEVEL"); // the quiet default is under test, not the caller's setting
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe finished");
    assertEquals(0, process.exitValue(), output);
    return output.lines().toList();
  }
}
