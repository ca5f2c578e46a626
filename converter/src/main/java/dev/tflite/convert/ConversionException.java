package dev.tflite.convert;

/**
 * A model cannot be converted as configured. The message is meant for the user: it names the model, the node or
 * file at fault, the problem and what to do.
 */
public class ConversionException extends RuntimeException {
  public ConversionException(String message) {
    super(message);
  }

  public ConversionException(String message, Throwable cause) {
    super(message, cause);
  }
}
