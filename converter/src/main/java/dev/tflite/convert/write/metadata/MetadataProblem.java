package dev.tflite.convert.write.metadata;

/**
 * A metadata setting that does not fit the converted model: which setting ({@code field}), of which input or output
 * ({@code tensor}, null for the model), the value given, and what is wrong. Front ends spell the setting their way.
 */
public record MetadataProblem(Field field, String tensor, String value, String problem) {
  /** The metadata setting at fault. */
  public enum Field { INPUT_NAME, OUTPUT_NAME, MEAN, STD, COLOR_SPACE, CONTENT, SAMPLE_RATE, LABELS }

  @Override
  public String toString() {
    return field + (tensor == null ? "" : " of '" + tensor + "'") + " = " + value + ": " + problem;
  }
}
