package dev.tflite.convert.legalize;

/** Turns one TensorFlow node into TensorFlow Lite operators in the IR. One implementation per TensorFlow op family. */
@FunctionalInterface
public interface OpLegalization {
  void legalize(LegalizeContext ctx);
}
