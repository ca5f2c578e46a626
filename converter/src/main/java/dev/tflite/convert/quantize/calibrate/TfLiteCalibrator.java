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
 * Calibrates by running the float IR graph itself in the TensorFlow Lite interpreter (as the official converter
 * calibrates its float model): a debug copy exposes every float activation as an output, so every tensor an integer
 * kernel reads or writes gets a range, including tensors that legalization created and that have no TensorFlow
 * counterpart (decomposed batch norms, approximations such as Erf). Deterministic for the same samples.
 */
public final class TfLiteCalibrator {
  private TfLiteCalibrator() {}

  public static TensorRanges calibrate(Graph floatGraph, String signatureKey, List<Map<String, float[]>> samples) {
    Map<String, Tensor> exposed = new TreeMap<>();
    List<Tensor> tensors = floatGraph.tensors();
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      if (!t.isConstant() && t.type() == DType.FLOAT32 && !floatGraph.inputs().containsValue(t)) {
        exposed.put("activation_" + i, t); // output names only need to be unique; the index is
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
          sample.forEach((name, values) -> inputs.put(name, new NamedTensors.FloatTensor(input(floatGraph, name).shape(), values)));
          runner.run(inputs).asMap().forEach((name, tensor) -> ranges.observe(exposed.get(name), tensor.values()));
          sample.forEach((name, values) -> ranges.observe(input(floatGraph, name), values));
        }
      }
    } catch (IOException e) {
      throw new ConversionException("cannot write the calibration model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof ConversionException) {
        throw e;
      }
      throw new ConversionException("calibration failed while running the float model in TensorFlow Lite: " + e.getMessage(), e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
    return ranges;
  }

  private static Tensor input(Graph graph, String name) {
    Tensor t = graph.inputs().get(name);
    if (t == null) {
      throw new ConversionException("calibration sample names input '" + name + "', which the model does not have (inputs: " + graph.inputs().keySet() + ")");
    }
    return t;
  }
}
