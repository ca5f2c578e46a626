package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.DType;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.write.FlatBufferWriter;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TfLiteRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calibrates a model that has no TensorFlow original (a float .tflite source): a debug copy of the float graph exposes
 * every activation as an output and runs in the TensorFlow Lite interpreter on each sample.
 */
public final class TfLiteCalibrator {
  private TfLiteCalibrator() {}

  public static TensorRanges calibrate(Graph floatGraph, String signatureKey, List<Map<String, float[]>> samples) {
    Map<String, Tensor> exposed = new TreeMap<>();
    for (Tensor t : floatGraph.tensors()) {
      if (!t.isConstant() && t.type() == DType.FLOAT32 && t.sourceTensor() != null && !floatGraph.inputs().containsValue(t)) {
        exposed.put(t.sourceTensor(), t);
      }
    }
    byte[] debugModel = FlatBufferWriter.write(floatGraph, signatureKey, "calibration", exposed);
    TensorRanges ranges = new TensorRanges();
    Path file = null;
    try {
      file = Files.createTempFile("tflite-calibration", ".tflite");
      Files.write(file, debugModel);
      try (TfLiteRunner runner = new TfLiteRunner(file)) {
        for (Map<String, float[]> sample : samples) {
          NamedTensors inputs = new NamedTensors();
          sample.forEach((name, values) -> inputs.put(name, new NamedTensors.FloatTensor(floatGraph.inputs().get(name).shape(), values)));
          runner.run(inputs).asMap().forEach((name, tensor) -> ranges.observe(name, tensor.values()));
          sample.forEach((name, values) -> ranges.observe(floatGraph.inputs().get(name).sourceTensor(), values));
        }
      }
    } catch (IOException e) {
      throw new ConversionException("cannot write the calibration model: " + e.getMessage(), e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
    return ranges;
  }
}
