package dev.tflite.validation.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Finds dilated Conv2D / DepthwiseConv2dNative / Conv3D nodes in a SavedModel or frozen GraphDef. TensorFlow's plain CPU
 * kernels (used when oneDNN is off, e.g. on a CPU without AVX-512) refuse dilations, so such a model is validated
 * against the converter's frozen graph, which holds them in the SpaceToBatchND form that runs on every CPU.
 */
public final class DilatedConvolutions {
  private static final List<String> CONVOLUTIONS = List.of("Conv2D", "DepthwiseConv2dNative", "Conv3D");

  private DilatedConvolutions() {}

  /** Whether the model's graph or any function in its library has a convolution with dilations above 1. */
  public static boolean in(Path source) {
    try {
      if (Files.isDirectory(source)) {
        Path pb = source.resolve("saved_model.pb");
        if (!Files.isRegularFile(pb)) {
          return false;
        }
        try (InputStream in = Files.newInputStream(pb)) {
          return SavedModel.parseFrom(in).getMetaGraphsList().stream().map(MetaGraphDef::getGraphDef).anyMatch(DilatedConvolutions::in);
        }
      }
      try (InputStream in = Files.newInputStream(source)) {
        return in(GraphDef.parseFrom(in));
      }
    } catch (IOException e) {
      return false; // an unreadable model is reported by the runner that opens it
    }
  }

  static boolean in(GraphDef graph) {
    Stream<NodeDef> functionNodes = graph.getLibrary().getFunctionList().stream().flatMap(f -> f.getNodeDefList().stream());
    return Stream.concat(graph.getNodeList().stream(), functionNodes).anyMatch(DilatedConvolutions::dilated);
  }

  private static boolean dilated(NodeDef n) {
    return CONVOLUTIONS.contains(n.getOp()) && n.containsAttr("dilations")
        && n.getAttrOrThrow("dilations").getList().getIList().stream().anyMatch(d -> d > 1);
  }
}
