package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.ir.Graph;
import dev.tflite.convert.ir.Tensor;
import dev.tflite.convert.tf.PreparedGraph;
import dev.tflite.runtime.NamedTensors;
import dev.tflite.runtime.TensorFlowRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ranges of the tensors the IR calibrates from the TensorFlow reference ({@link Graph#referenceRanges}): values a
 * kernel keeps inside, such as the fused LSTM's cell state at every step, which the float model run in TensorFlow
 * Lite cannot show, but the reference (the layer lowered step by step) computes as tensors. The same samples as the
 * rest of calibration, in TensorFlow.
 */
public final class ReferenceCalibration {
  private ReferenceCalibration() {}

  public static void observe(PreparedGraph prepared, Graph graph, List<Map<String, float[]>> samples, TensorRanges ranges) {
    Map<Tensor, String> wanted = graph.referenceRanges();
    if (wanted.isEmpty()) {
      return;
    }
    List<String> fetches = new ArrayList<>(new java.util.TreeSet<>(wanted.values()));
    Map<String, String> inputs = new TreeMap<>();
    prepared.graph().inputs().forEach(in -> inputs.put(in.name(), in.tensor().toString()));
    Path file = null;
    try {
      file = Files.createTempFile("tflite-reference-calibration", ".pb");
      Files.write(file, prepared.graph().toGraphDef().toByteArray());
      try (TensorFlowRunner reference = TensorFlowRunner.frozen(file, inputs, fetches)) {
        for (Map<String, float[]> sample : samples) {
          NamedTensors feed = new NamedTensors();
          sample.forEach((name, values) -> feed.put(name, new NamedTensors.FloatTensor(graph.inputs().get(name).shape(), values)));
          NamedTensors out = reference.run(feed);
          wanted.forEach((tensor, name) -> ranges.observe(tensor, out.get(name).values()));
        }
      }
    } catch (IOException e) {
      throw new ConversionException("cannot write the calibration reference graph: " + e.getMessage(), e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
  }
}
