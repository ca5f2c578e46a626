package dev.tflite.convert.legalize;

/** A node of a supported op type that cannot be converted as configured (e.g. NCHW layout, a non-constant filter). */
public final class UnsupportedNodeException extends RuntimeException {
  public UnsupportedNodeException(String reason) {
    super(reason);
  }
}
