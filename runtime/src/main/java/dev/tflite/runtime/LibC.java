package dev.tflite.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few C library calls that the native runtimes' logging needs from Java: the process environment (Java can read
 * but not change it) and the standard error file descriptor. Loading throws {@link LinkageError} where JNA cannot
 * run; callers then leave the logs as they are.
 */
interface LibC extends Library {
  int STDERR = 2;
  /** Owner read and write, for a capture file. */
  int MODE_PRIVATE = 0600;

  static LibC get() {
    return Holder.INSTANCE;
  }

  int setenv(String name, String value, int overwrite);

  int dup(int fd);

  int dup2(int from, int to);

  int creat(String path, int mode);

  int close(int fd);

  /** {@code null} flushes every C output stream. */
  int fflush(Pointer stream);

  /** Loaded on first use, so that a failure to load surfaces where it can be handled. */
  final class Holder {
    private static final LibC INSTANCE = Native.load("c", LibC.class);

    private Holder() {}
  }
}
