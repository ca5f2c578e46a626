package dev.tflite.convert.quantize.calibrate;

import dev.tflite.convert.ConversionException;
import dev.tflite.convert.tf.PreparedGraph;
import dev.tflite.convert.tf.SignatureTensor;
import dev.tflite.convert.tf.TensorFlowTime;
import dev.tflite.convert.tf.TensorName;
import dev.tflite.convert.tf.TfRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Calibrates by running the frozen original graph in TensorFlow on each sample and recording the range of every
 * tensor that becomes a TensorFlow Lite activation. Deterministic for the same samples.
 */
public final class TensorFlowCalibrator {
  private TensorFlowCalibrator() {}

  public static TensorRanges calibrate(PreparedGraph prepared, List<String> tensors, List<Map<String, float[]>> samples) {
    TensorRanges ranges = new TensorRanges();
    List<String> inputs = prepared.graph().inputs().stream().map(in -> in.tensor().toString()).toList();
    List<String> fetches = tensors.stream().filter(t -> !inputs.contains(t)).toList();
    try (Graph graph = TfRuntime.importGraph(prepared.graph()); Session session = TensorFlowTime.measure(() -> new Session(graph))) {
      for (Map<String, float[]> sample : samples) {
        Session.Runner runner = session.runner();
        List<Tensor> feeds = new ArrayList<>();
        try {
          for (SignatureTensor in : prepared.graph().inputs()) {
            TFloat32 t = TFloat32.tensorOf(Shape.of(in.shape()), DataBuffers.of(sample.get(in.name()), true, false));
            feeds.add(t);
            runner.feed(in.tensor().node(), in.tensor().index(), t);
            ranges.observe(in.tensor().toString(), sample.get(in.name())); // fed tensors cannot also be fetched
          }
          fetches.forEach(name -> {
            TensorName t = TensorName.parse(name);
            runner.fetch(t.node(), t.index());
          });
          try (Result result = TensorFlowTime.measure(runner::run)) {
            for (int i = 0; i < fetches.size(); i++) {
              if (result.get(i) instanceof TFloat32 f) {
                float[] values = new float[Math.toIntExact(f.size())];
                f.copyTo(DataBuffers.of(values, false, false));
                ranges.observe(fetches.get(i), values);
              }
            }
          }
        } finally {
          feeds.forEach(Tensor::close);
        }
      }
    } catch (ConversionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConversionException("calibration failed while running the model in TensorFlow: " + e.getMessage(), e);
    }
    return ranges;
  }
}
