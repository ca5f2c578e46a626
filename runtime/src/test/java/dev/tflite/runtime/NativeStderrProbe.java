package dev.tflite.runtime;

/**
 * Run by {@link NativeLogsTest} in a JVM of its own: writes an absl-style routine line and an error line to standard
 * error while it is captured, then fails, as a library load that goes wrong would.
 */
public final class NativeStderrProbe {
  private NativeStderrProbe() {}

  public static void main(String[] args) {
    try {
      NativeStderr.capture(() -> {
        System.err.println("I0000 00:00:1796122449.723320    7494 some_pass.cc:401] routine line");
        System.err.println("E something went wrong");
        throw new IllegalStateException("load failed");
      });
    } catch (IllegalStateException e) {
      System.out.println("probe: " + e.getMessage());
    }
    System.err.println("probe: standard error restored");
  }
}
