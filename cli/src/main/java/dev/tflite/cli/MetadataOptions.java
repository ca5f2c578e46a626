package dev.tflite.cli;

import dev.tflite.pipeline.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/**
 * The TensorFlow Lite metadata embedded in the file: the options of a POM {@code <metadata>}. Per-tensor options are
 * {@code name=value}; without {@code name=} they are for the model's only input or output.
 */
final class MetadataOptions {
  @Option(names = "--metadata-name", description = "model name shown by Android Studio and the Task Library")
  String name;

  @Option(names = "--metadata-description")
  String description;

  @Option(names = "--metadata-version", description = "model version, e.g. 1.1")
  String version;

  @Option(names = "--metadata-author")
  String author;

  @Option(names = "--metadata-license")
  String license;

  @Option(names = "--input-content", description = "[input=]image|features|audio (repeatable)")
  List<String> inputContent = new ArrayList<>();

  @Option(names = "--input-color-space", description = "[input=]RGB|GRAYSCALE for image inputs")
  List<String> colorSpace = new ArrayList<>();

  @Option(names = "--input-mean", description = "[input=]mean of the normalization (input - mean) / std: one value or one per channel, e.g. 127.5")
  List<String> mean = new ArrayList<>();

  @Option(names = "--input-std", description = "[input=]std of the normalization: one value or one per channel")
  List<String> std = new ArrayList<>();

  @Option(names = "--input-value-range", description = "[input=]min,max of the values the input holds")
  List<String> inputRange = new ArrayList<>();

  @Option(names = "--input-sample-rate", description = "[input=]sample rate in Hz of an audio input")
  List<String> sampleRate = new ArrayList<>();

  @Option(names = "--output-content", description = "[output=]image|features|audio")
  List<String> outputContent = new ArrayList<>();

  @Option(names = "--output-labels", description = "[output=]labels file, one class name per line, packed into the .tflite")
  List<String> labels = new ArrayList<>();

  @Option(names = "--output-value-range", description = "[output=]min,max of the values the output holds")
  List<String> outputRange = new ArrayList<>();

  /** Fills {@code spec.metadata} when any metadata option is given. */
  void applyTo(ModelSpec spec) {
    Map<String, String[]> inputs = new LinkedHashMap<>(); // tensor -> content, colorSpace, mean, std, range, sampleRate
    collect(inputContent, 6, 0, inputs);
    collect(colorSpace, 6, 1, inputs);
    collect(mean, 6, 2, inputs);
    collect(std, 6, 3, inputs);
    collect(inputRange, 6, 4, inputs);
    collect(sampleRate, 6, 5, inputs);
    Map<String, String[]> outputs = new LinkedHashMap<>(); // tensor -> content, labels, range
    collect(outputContent, 3, 0, outputs);
    collect(labels, 3, 1, outputs);
    collect(outputRange, 3, 2, outputs);
    if (name == null && description == null && version == null && author == null && license == null && inputs.isEmpty() && outputs.isEmpty()) {
      return;
    }
    List<ModelSpec.InputMetadata> in = new ArrayList<>();
    inputs.forEach((tensor, v) -> in.add(new ModelSpec.InputMetadata(tensor(tensor), v[0], v[1], v[2], v[3],
        v[4] == null ? null : Ranges.parse("--input-value-range", v[4]), v[5] == null ? null : parseRate(v[5]))));
    List<ModelSpec.OutputMetadata> out = new ArrayList<>();
    outputs.forEach((tensor, v) -> out.add(new ModelSpec.OutputMetadata(tensor(tensor), v[0], v[1] == null ? null : Path.of(v[1]),
        v[2] == null ? null : Ranges.parse("--output-value-range", v[2]))));
    spec.metadata = new ModelSpec.Metadata(name, description, version, author, license, in, out);
  }

  /** {@code name=value} or a bare {@code value} (key "" for the only tensor); a comma list has no '=' in it. */
  private static void collect(List<String> entries, int fields, int field, Map<String, String[]> into) {
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String tensor = eq < 0 ? "" : entry.substring(0, eq);
      String value = eq < 0 ? entry : entry.substring(eq + 1);
      into.computeIfAbsent(tensor, t -> new String[fields])[field] = value;
    }
  }

  private static String tensor(String key) {
    return key.isEmpty() ? null : key;
  }

  private static Long parseRate(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--input-sample-rate " + text + ": write a whole number of Hz, e.g. 16000");
    }
  }
}
