package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.lite.support.metadata.MetadataExtractor;
import org.tensorflow.lite.support.metadata.schema.AssociatedFileType;
import org.tensorflow.lite.support.metadata.schema.ColorSpaceType;
import org.tensorflow.lite.support.metadata.schema.ContentProperties;
import org.tensorflow.lite.support.metadata.schema.ImageProperties;
import org.tensorflow.lite.support.metadata.schema.ModelMetadata;
import org.tensorflow.lite.support.metadata.schema.NormalizationOptions;
import org.tensorflow.lite.support.metadata.schema.ProcessUnitOptions;
import org.tensorflow.lite.support.metadata.schema.TensorMetadata;

/**
 * The TensorFlow Lite metadata in a file as app tooling sees it, read with the support library's MetadataExtractor:
 * model facts, each tensor's content, normalization and range, and the labels packed for each output.
 */
@JsonPropertyOrder({"name", "description", "version", "author", "license", "minParserVersion", "inputs", "outputs", "associatedFiles"})
public record EmbeddedMetadata(String name, String description, String version, String author, String license, String minParserVersion,
    List<TensorInfo> inputs, List<TensorInfo> outputs, List<String> associatedFiles) {

  /** One tensor's metadata; null fields are not set in the file. {@code labels}: the packed labels, in class order. */
  @JsonPropertyOrder({"name", "content", "colorSpace", "mean", "std", "min", "max", "labelsFile", "labels"})
  public record TensorInfo(String name, String content, String colorSpace, float[] mean, float[] std, Float min, Float max, String labelsFile,
      List<String> labels) {}

  /** The file's metadata, or null when it has none. */
  public static EmbeddedMetadata read(Path tflite) throws IOException {
    MetadataExtractor extractor;
    try (FileChannel channel = FileChannel.open(tflite, StandardOpenOption.READ)) {
      // a memory map: the weights are not copied onto the heap to read a few hundred bytes of metadata
      extractor = new MetadataExtractor(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
    }
    if (!extractor.hasMetadata()) {
      return null;
    }
    ModelMetadata m = extractor.getModelMetadata();
    List<TensorInfo> inputs = new ArrayList<>();
    for (int i = 0; i < extractor.getInputTensorCount(); i++) {
      inputs.add(tensor(extractor.getInputTensorMetadata(i), extractor));
    }
    List<TensorInfo> outputs = new ArrayList<>();
    for (int i = 0; i < extractor.getOutputTensorCount(); i++) {
      outputs.add(tensor(extractor.getOutputTensorMetadata(i), extractor));
    }
    return new EmbeddedMetadata(m.name(), m.description(), m.version(), m.author(), m.license(), m.minParserVersion(), inputs, outputs,
        List.copyOf(new TreeSet<>(extractor.getAssociatedFileNames())));
  }

  /** Labels by output name, for the outputs that have them. */
  public Map<String, List<String>> labelsByOutput() {
    Map<String, List<String>> labels = new TreeMap<>();
    outputs.stream().filter(o -> o.labels() != null).forEach(o -> labels.put(o.name(), o.labels()));
    return labels;
  }

  private static TensorInfo tensor(TensorMetadata t, MetadataExtractor extractor) throws IOException {
    if (t == null) {
      return null;
    }
    String content = null;
    String colorSpace = null;
    if (t.content() != null) {
      content = ContentProperties.name(t.content().contentPropertiesType());
      if (t.content().contentPropertiesType() == ContentProperties.ImageProperties) {
        colorSpace = ColorSpaceType.name(((ImageProperties) t.content().contentProperties(new ImageProperties())).colorSpace());
      }
    }
    float[] mean = null;
    float[] std = null;
    for (int i = 0; i < t.processUnitsLength(); i++) {
      if (t.processUnits(i).optionsType() == ProcessUnitOptions.NormalizationOptions) {
        NormalizationOptions n = (NormalizationOptions) t.processUnits(i).options(new NormalizationOptions());
        mean = new float[n.meanLength()];
        for (int k = 0; k < mean.length; k++) {
          mean[k] = n.mean(k);
        }
        std = new float[n.stdLength()];
        for (int k = 0; k < std.length; k++) {
          std[k] = n.std(k);
        }
      }
    }
    Float min = t.stats() != null && t.stats().minLength() > 0 ? t.stats().min(0) : null;
    Float max = t.stats() != null && t.stats().maxLength() > 0 ? t.stats().max(0) : null;
    String labelsFile = null;
    List<String> labels = null;
    for (int i = 0; i < t.associatedFilesLength(); i++) {
      if (t.associatedFiles(i).type() == AssociatedFileType.TENSOR_AXIS_LABELS) {
        labelsFile = t.associatedFiles(i).name();
        if (extractor.getAssociatedFileNames().contains(labelsFile)) {
          try (InputStream in = extractor.getAssociatedFile(labelsFile)) {
            labels = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
          }
        }
      }
    }
    return new TensorInfo(t.name(), content, colorSpace, mean, std, min, max, labelsFile, labels);
  }
}
