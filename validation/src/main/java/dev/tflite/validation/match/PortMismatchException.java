package dev.tflite.validation.match;

/** The validated .tflite's inputs or outputs cannot be paired with the original's; the message lists both sides. */
public final class PortMismatchException extends RuntimeException {
  public PortMismatchException(String message) {
    super(message);
  }
}
