package dev.tflite.convert.write.metadata;

import java.nio.file.Path;
import java.util.List;

/**
 * What an app team's tools read from a {@code .tflite}: the model's name, version, author and license, how to feed
 * each input (content type, color space, normalization, value range) and how to read each output (labels, value
 * range). Written into the file as TensorFlow Lite metadata ({@link MetadataWriter}); checked against the converted
 * graph there, since channel and class counts are known only after conversion. Strings may be null (not written).
 */
public record MetadataSpec(String name, String description, String version, String author, String license, List<InputInfo> inputs,
    List<OutputInfo> outputs) {

  public MetadataSpec {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The metadata schema's content properties: what a tensor holds. */
  public enum Content { IMAGE, FEATURES, AUDIO }

  /** The metadata schema's image color spaces this writer offers. */
  public enum ColorSpace { RGB, GRAYSCALE }

  /** Smallest and largest value a tensor holds (written as the tensor's stats). */
  public record Range(double min, double max) {}

  /**
   * One input, by signature name ({@code tensor} null: the model's only input). {@code mean} and {@code std} hold one
   * value for all channels or one per channel (the last dimension), or are null; {@code sampleRate} is for audio.
   */
  public record InputInfo(String tensor, Content content, ColorSpace colorSpace, float[] mean, float[] std, Range range, long sampleRate) {}

  /** One output, by signature name ({@code tensor} null: the only output); {@code labels} holds one class name per line. */
  public record OutputInfo(String tensor, Content content, Path labels, Range range) {}
}
