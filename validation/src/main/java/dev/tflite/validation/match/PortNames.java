package dev.tflite.validation.match;

import java.util.regex.Pattern;

/**
 * The conventions by which converters decorate a tensor's name, undone so that the name left is the one the model's
 * author gave: TensorFlow's output index ({@code x:0}), the official converter's signature prefix on inputs
 * ({@code serving_default_x:0}) and the suffix on the quantize/dequantize tensors added for integer I/O (the official
 * converter's {@code input_1_int8}, this plugin's {@code dense/Softmax/uint8}).
 */
final class PortNames {
  private static final Pattern OUTPUT_INDEX = Pattern.compile(":\\d+$");
  private static final Pattern SIGNATURE_PREFIX = Pattern.compile("^serving_default_");
  private static final Pattern INTEGER_IO_SUFFIX = Pattern.compile("[_/](u?int8|int16)$");

  private PortNames() {}

  static String normalize(String name) {
    String n = OUTPUT_INDEX.matcher(name).replaceFirst("");
    n = SIGNATURE_PREFIX.matcher(n).replaceFirst("");
    return INTEGER_IO_SUFFIX.matcher(n).replaceFirst("");
  }
}
