package dev.tflite.validation;

/** Validation could not run (a model does not load, outputs do not match by name...); not a drift failure. */
public class ValidationException extends RuntimeException {
  public ValidationException(String message, Throwable cause) {
    super(message, cause);
  }

  public ValidationException(String message) {
    super(message);
  }
}
