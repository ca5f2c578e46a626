package dev.tflite.convert.importer;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.TfGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Chooses the importer for a model source: a SavedModel directory or a frozen GraphDef file. */
public final class ModelImporter {
  private ModelImporter() {}

  /**
   * What to read: the source path plus the signature and tags to select (SavedModel only), and the configured input
   * shapes (a loop over an open sequence length is unrolled at the length they give).
   */
  public record ImportRequest(Path source, String signature, List<String> tags, Map<String, long[]> inputShapes) {
    public ImportRequest(Path source, String signature, List<String> tags) {
      this(source, signature, tags, Map.of());
    }
  }

  public static TfGraph load(ImportRequest request) {
    dev.tflite.runtime.TensorFlowNative.ensureLoaded(); // before any TensorFlow class: sets its logging first
    Path source = request.source();
    if (!Files.exists(source)) {
      throw new ConversionException("source " + source + " does not exist; point <source> at a SavedModel directory or a frozen GraphDef .pb file");
    }
    if (Files.isDirectory(source)) {
      return SavedModelImporter.load(source, request.signature(), request.tags(), request.inputShapes());
    }
    String file = source.getFileName().toString();
    if (file.endsWith(".pb")) {
      return GraphDefImporter.load(source, request.inputShapes());
    }
    if (file.endsWith(".h5") || file.endsWith(".hdf5") || file.endsWith(".keras")) {
      return dev.tflite.convert.importer.keras.KerasImporter.load(source, request.inputShapes());
    }
    throw new ConversionException("source " + source + " is neither a SavedModel directory nor a frozen GraphDef .pb file"
        + ", a Keras .h5/.keras file or a float .tflite; export the model with tf.saved_model.save or model.save(\"x.keras\")");
  }
}
