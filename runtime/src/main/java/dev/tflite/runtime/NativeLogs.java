package dev.tflite.runtime;

/**
 * Whether the native runtimes' own log lines reach the console: TensorFlow's C++ logging (library loading, CPU
 * features, SavedModel reading) and TensorFlow Lite's logger (delegate creation). Routine lines are hidden by default,
 * so that a build shows the plugin's own lines; errors still print. Verbose mode shows everything: {@link #configure}
 * (the Maven goals pass {@code -X}, the command line its {@code --native-logs}) or {@code -Dtflite.nativeLogs=true}.
 *
 * <p>Each library is set when it loads, once per JVM ({@link TensorFlowNative}, {@link TfLiteNative}), so the mode
 * must be chosen before the first model is opened; a later change applies only to libraries not yet loaded.
 */
public final class NativeLogs {
  /** The system property that forces verbose mode, whatever {@link #configure} was told. */
  public static final String PROPERTY = "tflite.nativeLogs";

  private static volatile boolean verboseRequested;

  private NativeLogs() {}

  /** Show ({@code true}) or hide the native runtimes' routine log lines; call before the first model is opened. */
  public static void configure(boolean verbose) {
    verboseRequested = verbose;
  }

  public static boolean verbose() {
    return verboseRequested || Boolean.getBoolean(PROPERTY);
  }

  /** Where hidden native lines go: debug level, so a logging setup that wants them can have them. */
  static System.Logger logger() {
    return System.getLogger(NativeLogs.class.getName());
  }
}
