package dev.tflite.convert.tf;

import dev.tflite.convert.ConversionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Gives every signature input a concrete shape: the user's override where given, otherwise each unknown dimension
 * becomes 1 (the batch of one that TensorFlow Lite models are usually run with). A -1 in an override leaves that
 * dimension as the model declares it: unknown ones stay dynamic in the file ({@link #openDims}).
 */
public final class InputShapes {
  private InputShapes() {}

  public static TfGraph apply(TfGraph graph, Map<String, long[]> overrides) {
    return apply(graph, overrides, 1);
  }

  /**
   * Unknown dimensions become {@code unknownSize}: 1 for the model, another size to probe which tensors follow it, -1
   * to keep them unknown (the loop unroller infers shapes before any dimension is fixed).
   */
  public static TfGraph apply(TfGraph graph, Map<String, long[]> overrides, long unknownSize) {
    for (String name : overrides.keySet()) {
      if (graph.inputs().stream().noneMatch(i -> i.name().equals(name))) {
        throw new ConversionException("an input shape is configured for '" + name + "', but the model's inputs are "
            + graph.inputs().stream().map(SignatureTensor::name).toList());
      }
    }
    List<SignatureTensor> inputs = new ArrayList<>();
    List<NodeDef> nodes = new ArrayList<>(graph.nodes());
    for (SignatureTensor in : graph.inputs()) {
      long[] concrete = concreteShape(in, overrides.get(in.name()), unknownSize);
      inputs.add(in.withShape(concrete));
      for (int i = 0; i < nodes.size(); i++) {
        NodeDef n = nodes.get(i);
        if (n.getName().equals(in.tensor().node()) && n.getOp().equals("Placeholder")) {
          TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
          Arrays.stream(concrete).forEach(d -> shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d)));
          nodes.set(i, n.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build());
        }
      }
    }
    return graph.rebuilt(nodes, inputs, graph.outputs());
  }

  /**
   * Which dimensions of {@code input} stay unknown under {@code override} (null: none configured): the declared unknown
   * ones, or with an override those it writes as -1.
   */
  static boolean[] openDims(SignatureTensor input, long[] override) {
    long[] declared = input.shape();
    boolean[] open = new boolean[declared == null ? 0 : declared.length];
    for (int i = 0; i < open.length; i++) {
      open[i] = declared[i] < 0 && (override == null || i < override.length && override[i] < 0);
    }
    return open;
  }

  private static long[] concreteShape(SignatureTensor input, long[] override, long unknownSize) {
    long[] declared = input.shape();
    if (override != null) {
      if (declared != null && declared.length != override.length) {
        throw new ConversionException("input '" + input.name() + "' has rank " + declared.length + " (shape " + Arrays.toString(declared)
            + "), but the configured shape " + Arrays.toString(override) + " has rank " + override.length);
      }
      for (int i = 0; declared != null && i < declared.length; i++) {
        if (declared[i] >= 0 && override[i] >= 0 && declared[i] != override[i]) {
          throw new ConversionException("input '" + input.name() + "' has fixed size " + declared[i] + " in dimension " + i
              + ", but the configured shape " + Arrays.toString(override) + " says " + override[i]);
        }
      }
      long[] concrete = override.clone();
      for (int i = 0; i < concrete.length; i++) { // -1 in the configured shape: as declared, an unknown one at unknownSize
        concrete[i] = concrete[i] >= 0 ? concrete[i] : declared != null && declared[i] >= 0 ? declared[i] : unknownSize;
      }
      return concrete;
    }
    if (declared == null) {
      throw new ConversionException("input '" + input.name() + "' has an unknown rank; configure its shape (<inputShapes>)");
    }
    return Arrays.stream(declared).map(d -> d < 0 ? unknownSize : d).toArray();
  }
}
