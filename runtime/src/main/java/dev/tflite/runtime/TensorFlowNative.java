package dev.tflite.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;

/**
 * Loads TensorFlow's native library once per JVM, with its routine log lines hidden unless {@link NativeLogs} asks
 * for them. Every use of TensorFlow goes through here first (the converter's import, {@link TensorFlowRunner}),
 * because TensorFlow Java loads the library on first touch of any of its classes and the settings must be in place
 * before that.
 */
public final class TensorFlowNative {
  /** TensorFlow's C++ logging: 2 hides info and warning lines and keeps errors. */
  private static final String MIN_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

  private static volatile boolean loaded;

  private TensorFlowNative() {}

  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (TensorFlowNative.class) {
      if (loaded) {
        return;
      }
      if (NativeLogs.verbose()) {
        TensorFlow.version();
      } else {
        loadQuietly();
      }
      loaded = true;
    }
  }

  private static void loadQuietly() {
    try {
      // read from the process environment when the library loads (Java's own copy of it is read-only); a level the
      // user set is kept
      LibC.get().setenv(MIN_LOG_LEVEL, "2", 0);
      // The library also holds a private copy of absl logging that ignores that variable and exports nothing to set
      // it. What that copy prints comes once per process: its notice that logging is not initialized and the MLIR
      // pass's "not enabled" line on the first graph run. Both are spent here, with standard error captured, on a
      // one-node graph (about 0.2 s, mostly the first session's start, which the first model would pay anyway).
      NativeStderr.capture(TensorFlowNative::loadAndRunOnce);
    } catch (LinkageError e) {
      NativeLogs.logger().log(System.Logger.Level.DEBUG, "TensorFlow's native logs stay on: " + e);
      TensorFlow.version();
    }
  }

  private static void loadAndRunOnce() {
    TensorFlow.version();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      graph.opBuilder("NoOp", "log_warm_up", graph.baseScope()).build();
      session.runner().addTarget("log_warm_up").run().close();
    }
  }
}
