package dev.tflite.convert.write.metadata;

import dev.tflite.convert.ConversionException;
import java.util.List;

/** The metadata settings do not fit the converted model; every problem is listed, for the front end to spell. */
public final class MetadataException extends ConversionException {
  private final List<MetadataProblem> problems;

  public MetadataException(List<MetadataProblem> problems) {
    super("the metadata does not fit the model: " + problems);
    this.problems = List.copyOf(problems);
  }

  public List<MetadataProblem> problems() {
    return problems;
  }
}
