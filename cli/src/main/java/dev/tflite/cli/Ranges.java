package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;

/** {@code min,max} on the command line. */
final class Ranges {
  private Ranges() {}

  static ModelSpec.Range parse(String option, String text) {
    String[] parts = text.split(",");
    try {
      if (parts.length == 2) {
        return new ModelSpec.Range(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // the message below says what to write
    }
    throw new IllegalArgumentException(option + " " + text + ": write min,max, e.g. -1,1");
  }
}
