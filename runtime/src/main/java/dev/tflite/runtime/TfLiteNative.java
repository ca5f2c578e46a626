package dev.tflite.runtime;

import com.sun.jna.NativeLibrary;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * Loads TensorFlow Lite 2.18 (JavaCPP's build, {@link TfLiteRunner}) once per JVM and, unless {@link NativeLogs} asks
 * for its routine lines, sets its logger to errors only: each interpreter otherwise prints "INFO: Created TensorFlow
 * Lite XNNPACK delegate for CPU.". JavaCPP's preset does not map the logger's options, so the library's exported
 * {@code tflite::LoggerOptions::SetMinimumLogSeverity} is called by its C++ name.
 */
public final class TfLiteNative {
  private static final String SET_MINIMUM_LOG_SEVERITY = "_ZN6tflite13LoggerOptions21SetMinimumLogSeverityENS_11LogSeverityE";
  /** {@code tflite::TFLITE_LOG_ERROR}. */
  private static final int LOG_ERROR = 3;

  private static volatile boolean loaded;

  private TfLiteNative() {}

  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (TfLiteNative.class) {
      if (loaded) {
        return;
      }
      String library = Loader.load(tensorflowlite.class);
      if (!NativeLogs.verbose()) {
        errorsOnly(library);
      }
      loaded = true;
    }
  }

  private static void errorsOnly(String library) {
    try {
      // the library JavaCPP loaded: opening the same file again returns it, not a second copy
      NativeLibrary.getInstance(library).getFunction(SET_MINIMUM_LOG_SEVERITY).invokeInt(new Object[] {LOG_ERROR});
    } catch (LinkageError | RuntimeException e) {
      NativeLogs.logger().log(System.Logger.Level.DEBUG, "TensorFlow Lite's native logs stay on: " + e);
    }
  }
}
