package dev.tflite.convert.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tflite.convert.ConversionException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keras model file: its architecture (the model config JSON), its weights, and which Keras wrote it. Reads HDF5
 * ({@code model_config} attribute + {@code model_weights}, by Keras 2 or Keras 3's legacy writer) and Keras 3
 * {@code .keras} zips ({@code config.json} + {@code model.weights.h5}).
 */
final class KerasModelFile {
  private static final JsonMapper JSON = new JsonMapper();

  final JsonNode config;
  final KerasWeights weights;
  final KerasDialect dialect;

  private KerasModelFile(JsonNode config, KerasWeights weights, KerasDialect dialect) {
    this.config = config;
    this.weights = weights;
    this.dialect = dialect;
  }

  static KerasModelFile read(Path file) {
    try {
      return file.getFileName().toString().endsWith(".keras") ? readKeras3(file) : readHdf5(file);
    } catch (ConversionException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ConversionException(file + " is not a readable Keras model file (" + e.getMessage() + "); save it with model.save(\"x.keras\") or"
          + " model.save(\"x.h5\")", e);
    }
  }

  private static KerasModelFile readHdf5(Path file) throws IOException {
    try (HdfFile h5 = new HdfFile(file)) {
      Attribute configAttr = h5.getAttribute("model_config");
      if (configAttr == null) {
        throw new ConversionException(file + " is an HDF5 file but not a Keras model (no 'model_config' attribute; a weights-only file saved"
            + " with save_weights?); save the whole model with model.save(\"x.h5\")");
      }
      JsonNode config = JSON.readTree(HdfTensors.text(configAttr.getData()));
      Attribute version = h5.getAttribute("keras_version");
      boolean keras3 = version != null ? HdfTensors.text(version.getData()).startsWith("3") : config.has("module");
      return new KerasModelFile(config, new Keras2Weights(h5.getChild("model_weights")), KerasDialect.of(keras3));
    }
  }

  private static KerasModelFile readKeras3(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry configEntry = zip.getEntry("config.json");
      ZipEntry weightsEntry = zip.getEntry("model.weights.h5");
      if (configEntry == null || weightsEntry == null) {
        throw new ConversionException(file + " is a zip but not a Keras 3 model (config.json and model.weights.h5 expected)");
      }
      JsonNode config;
      try (InputStream in = zip.getInputStream(configEntry)) {
        config = JSON.readTree(in);
      }
      Path h5File = Files.createTempFile("keras-weights", ".h5");
      try {
        try (InputStream in = zip.getInputStream(weightsEntry)) {
          Files.copy(in, h5File, StandardCopyOption.REPLACE_EXISTING);
        }
        try (HdfFile h5 = new HdfFile(h5File)) {
          return new KerasModelFile(config, new Keras3Weights(h5), KerasDialect.of(true));
        }
      } finally {
        Files.deleteIfExists(h5File);
      }
    }
  }
}
