package dev.tflite.convert.importer.keras;

/** A layer of a supported class configured in a way the converter cannot lower (e.g. channels_first). */
final class UnsupportedLayerException extends RuntimeException {
  UnsupportedLayerException(String reason) {
    super(reason);
  }
}
