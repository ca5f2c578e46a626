package dev.tflite.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs native work with the process's standard error (file descriptor 2, where native libraries write their logs)
 * sent to a file, then puts it back: for log lines that no setting reaches. Of what was written meanwhile, routine
 * native lines go to the debug logger and everything else (errors, anything Java printed) back to standard error. A
 * file rather than a pipe, so that a long burst cannot block the writer.
 */
final class NativeStderr {
  /**
   * absl's routine lines ({@code I0000 00:00:...} info, {@code W...} warning) and its notice that logging is not
   * initialized, which it prints before the first of them.
   */
  private static final Pattern ROUTINE = Pattern.compile("^([IW]\\d{4} \\d\\d:\\d\\d:\\d\\d|WARNING: All log messages before absl::InitializeLog\\(\\))");

  private NativeStderr() {}

  /** Runs {@code work} with standard error captured; if it cannot be redirected, runs it as it is. */
  static void capture(Runnable work) {
    Path file;
    try {
      file = Files.createTempFile("tflite-native-log", ".txt");
    } catch (IOException e) {
      NativeLogs.logger().log(System.Logger.Level.DEBUG, "native logs not captured: " + e.getMessage());
      work.run();
      return;
    }
    try {
      runRedirected(file, work);
    } finally {
      forward(file); // also when the work failed: an error it printed must still show
      file.toFile().delete();
    }
  }

  private static void runRedirected(Path file, Runnable work) {
    LibC c = LibC.get();
    System.err.flush();
    c.fflush(null);
    int saved = c.dup(LibC.STDERR);
    int sink = c.creat(file.toString(), LibC.MODE_PRIVATE);
    if (saved < 0 || sink < 0 || c.dup2(sink, LibC.STDERR) < 0) {
      closeIfOpen(c, saved);
      closeIfOpen(c, sink);
      work.run();
      return;
    }
    c.close(sink);
    try {
      work.run();
    } finally {
      System.err.flush();
      c.fflush(null);
      c.dup2(saved, LibC.STDERR);
      c.close(saved);
    }
  }

  private static void closeIfOpen(LibC c, int fd) {
    if (fd >= 0) {
      c.close(fd);
    }
  }

  private static void forward(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      System.err.println("cannot read the captured native log " + file + ": " + e.getMessage());
      return;
    }
    for (String line : lines) {
      if (ROUTINE.matcher(line).find()) {
        NativeLogs.logger().log(System.Logger.Level.DEBUG, line);
      } else {
        System.err.println(line);
      }
    }
  }
}
