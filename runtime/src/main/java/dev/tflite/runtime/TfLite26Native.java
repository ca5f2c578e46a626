package dev.tflite.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the TensorFlow Lite 2.6.2 JNI library (shipped in the tflite-native-cpu jar) once per JVM: the oldest runtime
 * every converted file must load in ({@link TfLite26Runner}). The official
 * {@code org.tensorflow.lite} classes do not load it themselves, and a native library can be loaded only once per
 * JVM, so every use goes through this holder. Its logs need no setting ({@link NativeLogs}): as used here (no
 * XNNPACK delegate, errors returned in exceptions) it prints nothing, and it exports no logger options anyway.
 */
public final class TfLite26Native {
  private static final String RESOURCE = "native/lib/libtensorflowlite_jni.so";
  private static volatile boolean loaded;

  private TfLite26Native() {}

  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (TfLite26Native.class) {
      if (loaded) {
        return;
      }
      try (InputStream in = TfLite26Native.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is not on the classpath; add ai.djl.tflite:tflite-native-cpu (classifier linux-x86_64)");
        }
        Path dir = Files.createTempDirectory("tflite-jni");
        Path library = dir.resolve("libtensorflowlite_jni.so");
        Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        System.load(library.toString());
        library.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        loaded = true;
      } catch (IOException e) {
        throw new IllegalStateException("cannot extract the TensorFlow Lite native library: " + e.getMessage(), e);
      }
    }
  }
}
