package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import org.tensorflow.Graph;

/** Runs TensorFlow on a {@link TfGraph}: the converter uses the real kernels for shape inference and folding. */
public final class TfRuntime {
  private TfRuntime() {}

  public static Graph importGraph(TfGraph graph) {
    return importGraph(graph.toGraphDef());
  }

  public static Graph importGraph(org.tensorflow.proto.GraphDef def) {
    Graph tfGraph = new Graph();
    try {
      TensorFlowTime.measure(() -> tfGraph.importGraphDef(def));
      return tfGraph;
    } catch (RuntimeException e) {
      tfGraph.close();
      throw new ConversionException("TensorFlow rejects the frozen graph: " + firstLine(e.getMessage()), e);
    }
  }

  /** The first line of a runtime's message (TensorFlow appends stack traces and graph dumps). */
  public static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
